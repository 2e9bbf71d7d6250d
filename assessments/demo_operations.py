"""Demo step (registered in assessments/apps.py): a year of operation log for each live
station."""


def load_operations(district):
    pass
