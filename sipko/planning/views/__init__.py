"""Planning pages: RPJMD, periods and programmes (program kerja)."""
