"""Demo data of the station records (filled in below)."""


def load_records(district):
    pass
