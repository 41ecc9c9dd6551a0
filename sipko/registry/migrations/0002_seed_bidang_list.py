"""The default bidang list of SPEC §3.2, with ICNPO groups (UN Handbook on Non-Profit
Institutions, 2003) for the BPS LNPRT export and synonyms the importer recognises."""

from django.db import migrations

BIDANG = [
    # code, name, name_en, ICNPO group, synonyms
    (
        "keagamaan",
        "Keagamaan",
        "Religious",
        "10",
        "agama,religi,dakwah,keislaman,majelis taklim,masjid,gereja,pura,vihara",
    ),
    (
        "kepercayaan",
        "Kepercayaan",
        "Indigenous faiths",
        "10",
        "penghayat,kepercayaan terhadap tuhan yang maha esa,kebatinan",
    ),
    (
        "sosial",
        "Sosial",
        "Social services",
        "4",
        "sosial kemasyarakatan,kemanusiaan,kesejahteraan sosial,panti",
    ),
    (
        "pendidikan",
        "Pendidikan",
        "Education",
        "2",
        "pendidikan dan pelatihan,pelatihan,kursus,pesantren,beasiswa",
    ),
    ("kesehatan", "Kesehatan", "Health", "3", "kesehatan masyarakat,medis,posyandu"),
    ("kepemudaan", "Kepemudaan", "Youth", "4", "pemuda,karang taruna,pelajar,mahasiswa"),
    (
        "perempuan",
        "Perempuan",
        "Women",
        "7",
        "wanita,pemberdayaan perempuan,ibu,kesetaraan gender,gender",
    ),
    (
        "seni_budaya_adat",
        "Seni, budaya dan adat",
        "Arts, culture and custom",
        "1",
        "seni,budaya,seni budaya,adat,kesenian,kebudayaan,seni-budaya,seni dan budaya",
    ),
    (
        "lingkungan",
        "Lingkungan hidup",
        "Environment",
        "5",
        "lingkungan,lingkungan hidup,pelestarian alam,konservasi",
    ),
    (
        "kebencanaan",
        "Kebencanaan",
        "Disaster relief",
        "4",
        "bencana,penanggulangan bencana,relawan bencana,sar",
    ),
    (
        "ekonomi_umkm",
        "Ekonomi dan UMKM",
        "Economy and small business",
        "6",
        "ekonomi,umkm,koperasi,usaha kecil,kewirausahaan,ekonomi kerakyatan",
    ),
    (
        "profesi",
        "Profesi",
        "Professional",
        "11",
        "profesi,asosiasi profesi,serikat pekerja,buruh,pedagang",
    ),
    (
        "olahraga_hobi",
        "Olahraga dan hobi",
        "Sports and hobbies",
        "1",
        "olahraga,hobi,olah raga,bela diri,pencak silat,komunitas hobi",
    ),
    (
        "demokrasi_hukum_ham",
        "Demokrasi, hukum dan HAM",
        "Democracy, law and human rights",
        "7",
        "demokrasi,hukum,ham,hak asasi manusia,bantuan hukum,anti korupsi,advokasi",
    ),
    (
        "kebangsaan",
        "Kebangsaan",
        "National unity",
        "7",
        "wawasan kebangsaan,bela negara,nasionalisme,veteran,kebangsaan dan bela negara",
    ),
    ("lainnya", "Lainnya", "Other", "12", "lain-lain,lain lain"),
]


def forwards(apps, schema_editor):
    Bidang = apps.get_model("registry", "Bidang")
    for order, (code, name, name_en, icnpo, synonyms) in enumerate(BIDANG, start=1):
        Bidang.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "icnpo_group": icnpo,
                "synonyms": synonyms,
                "sort_order": order,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("registry", "Bidang").objects.filter(code__in=[b[0] for b in BIDANG]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
