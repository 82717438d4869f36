"""Load the reference data and a demonstration of the whole process.

The demo clubs carry the names of the oldest clubs in Poland listed in the
recommendation (footnote 2); the institutions' people, addresses and register
entries are invented. Every case reaches its state through the real services,
acted by the demo users, so its history is a real one.
"""

import contextlib
import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from certification import deadlines, reference_data, selectors, services
from certification.models import Application, Club, Unit, User
from certification.states import Level, Result, Role, UnitKind

logger = logging.getLogger(__name__)

PASSWORD = "demo-sckis-2026"

# An officer and an auditor in every voivodeship, so that a club registered
# anywhere during a demo has someone to process it.
OFFICERS = {
    "dolnoslaskie": ("Justyna", "Wawrzyniak"),
    "kujawsko-pomorskie": ("Joanna", "Kowalczyk"),
    "lubelskie": ("Andrzej", "Sikora"),
    "lubuskie": ("Katarzyna", "Sobczak"),
    "lodzkie": ("Paweł", "Michalak"),
    "malopolskie": ("Marcin", "Dudek"),
    "mazowieckie": ("Agnieszka", "Wróblewska"),
    "opolskie": ("Bartosz", "Kubicki"),
    "podkarpackie": ("Ewa", "Pawlak"),
    "podlaskie": ("Emilia", "Jasińska"),
    "pomorskie": ("Krzysztof", "Zieliński"),
    "slaskie": ("Magdalena", "Jabłońska"),
    "swietokrzyskie": ("Mirosław", "Kurek"),
    "warminsko-mazurskie": ("Tomasz", "Kaczmarczyk"),
    "wielkopolskie": ("Patrycja", "Szewczyk"),
    "zachodniopomorskie": ("Szymon", "Czajka"),
}

AUDITORS = {
    "dolnoslaskie": ("Wioletta", "Bednarek"),
    "kujawsko-pomorskie": ("Anna", "Rutkowska"),
    "lubelskie": ("Rafał", "Sawicki"),
    "lubuskie": ("Monika", "Baran"),
    "lodzkie": ("Michał", "Kołodziej"),
    "malopolskie": ("Piotr", "Górecki"),
    "mazowieckie": ("Beata", "Szulc"),
    "opolskie": ("Jarosław", "Kowal"),
    "podkarpackie": ("Dorota", "Ostrowska"),
    "podlaskie": ("Marek", "Dziedzic"),
    "pomorskie": ("Łukasz", "Borkowski"),
    "slaskie": ("Iwona", "Czarnecka"),
    "swietokrzyskie": ("Izabela", "Wrona"),
    "warminsko-mazurskie": ("Grzegorz", "Wasilewski"),
    "wielkopolskie": ("Konrad", "Nowakowski"),
    "zachodniopomorskie": ("Hanna", "Krupa"),
}

APPEAL_OFFICER = ("odwolania", "Elżbieta", "Kwiatkowska")

# The three experts of each demo audit team.
EXPERTS = [
    ("Jadwiga Sadowska", "j.sadowska@example.org"),
    ("Leszek Makowski", "l.makowski@example.org"),
    ("Ilona Przybylska", "i.przybylska@example.org"),
]

# The steps that bring a new application to each demo state, in order.
STEPS = {
    "draft": [],
    "submitted": ["submit"],
    "correction": ["submit", "request_correction"],
    "merit_review": ["submit", "accept"],
    "audit": ["submit", "accept", "card", "commission"],
    "audit_in_progress": ["submit", "accept", "card", "commission", "start"],
    "decision": [
        *["submit", "accept", "card", "commission", "start"],
        *["audit_card", "deliver"],
    ],
    "certified": [
        *["submit", "accept", "card", "commission", "start"],
        *["audit_card", "deliver", "grant"],
    ],
    "refused": ["submit", "accept", "card", "refuse"],
    "appealed": [
        *["submit", "accept", "card", "commission", "start"],
        *["audit_card", "deliver", "refuse", "appeal"],
    ],
    "appeal_review": [
        *["submit", "accept", "card", "commission", "start"],
        *["audit_card", "deliver", "refuse", "appeal", "forward"],
    ],
    "withdrawn": ["submit", "withdraw"],
}

# Applicant institutions. The first of each voivodeship has the login
# wnioskodawca-<voivodeship>, the others wnioskodawca-<town>.
INSTITUTIONS = [
    {
        "key": "wspolny-dom",
        "voivodeship": "mazowieckie",
        "username": "wnioskodawca-mazowieckie",
        "name": "Stowarzyszenie Pomocy Wzajemnej „Wspólny Dom”",
        "street": "ul. Targowa 21",
        "postal_code": "03-731",
        "city": "Warszawa",
        "person": ("Marta", "Lewandowska"),
    },
    {
        "key": "ops-slubice",
        "voivodeship": "lubuskie",
        "username": "wnioskodawca-lubuskie",
        "name": "Ośrodek Pomocy Społecznej w Słubicach",
        "street": "ul. Akademicka 2",
        "postal_code": "69-100",
        "city": "Słubice",
        "person": ("Jolanta", "Majewska"),
    },
    {
        "key": "mops-kostrzyn",
        "voivodeship": "lubuskie",
        "username": "wnioskodawca-kostrzyn",
        "name": "Miejski Ośrodek Pomocy Społecznej w Kostrzynie nad Odrą",
        "street": "ul. Graniczna 4",
        "postal_code": "66-470",
        "city": "Kostrzyn nad Odrą",
        "person": ("Robert", "Adamczyk"),
    },
    {
        "key": "ops-kety",
        "voivodeship": "malopolskie",
        "username": "wnioskodawca-malopolskie",
        "name": "Ośrodek Pomocy Społecznej w Kętach",
        "street": "ul. Sobieskiego 12",
        "postal_code": "32-650",
        "city": "Kęty",
        "person": ("Barbara", "Nowicka"),
    },
    {
        "key": "mops-krakow",
        "voivodeship": "malopolskie",
        "username": "wnioskodawca-krakow",
        "name": "Miejski Ośrodek Pomocy Społecznej w Krakowie",
        "street": "ul. Józefińska 14",
        "postal_code": "30-529",
        "city": "Kraków",
        "person": ("Wojciech", "Król"),
    },
    {
        "key": "mgops-korsze",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-warminsko-mazurskie",
        "name": "Miejsko-Gminny Ośrodek Pomocy Społecznej w Korszach",
        "street": "ul. Mickiewicza 11",
        "postal_code": "11-430",
        "city": "Korsze",
        "person": ("Halina", "Wieczorek"),
    },
    {
        "key": "mops-dzialdowo",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-dzialdowo",
        "name": "Miejski Ośrodek Pomocy Społecznej w Działdowie",
        "street": "ul. Młodzieżowa 24",
        "postal_code": "13-200",
        "city": "Działdowo",
        "person": ("Jacek", "Mazur"),
    },
    {
        "key": "mops-elblag",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-elblag",
        "name": "Miejski Ośrodek Pomocy Społecznej w Elblągu",
        "street": "ul. Winna 1",
        "postal_code": "82-300",
        "city": "Elbląg",
        "person": ("Renata", "Wójcik"),
    },
    {
        "key": "gops-janowo",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-janowo",
        "name": "Gminny Ośrodek Pomocy Społecznej w Janowie",
        "street": "ul. Ogrodowa 3",
        "postal_code": "13-113",
        "city": "Janowo",
        "person": ("Stanisław", "Krawczyk"),
    },
    {
        "key": "mgops-jeziorany",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-jeziorany",
        "name": "Miejsko-Gminny Ośrodek Pomocy Społecznej w Jezioranach",
        "street": "ul. Kościuszki 8",
        "postal_code": "11-320",
        "city": "Jeziorany",
        "person": ("Teresa", "Grabowska"),
    },
    {
        "key": "mgops-nidzica",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-nidzica",
        "name": "Miejsko-Gminny Ośrodek Pomocy Społecznej w Nidzicy",
        "street": "ul. Kolejowa 6",
        "postal_code": "13-100",
        "city": "Nidzica",
        "person": ("Dariusz", "Kamiński"),
    },
    {
        "key": "ops-olecko",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-olecko",
        "name": "Ośrodek Pomocy Społecznej w Olecku",
        "street": "ul. Wojska Polskiego 9",
        "postal_code": "19-400",
        "city": "Olecko",
        "person": ("Alicja", "Zając"),
    },
    {
        "key": "gops-piecki",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-piecki",
        "name": "Gminny Ośrodek Pomocy Społecznej w Pieckach",
        "street": "ul. Zwycięstwa 15",
        "postal_code": "11-710",
        "city": "Piecki",
        "person": ("Mariusz", "Pietrzak"),
    },
    {
        "key": "mops-szczytno",
        "voivodeship": "warminsko-mazurskie",
        "username": "wnioskodawca-szczytno",
        "name": "Miejski Ośrodek Pomocy Społecznej w Szczytnie",
        "street": "ul. Polska 7",
        "postal_code": "12-100",
        "city": "Szczytno",
        "person": ("Urszula", "Jaworska"),
    },
    {
        "key": "mops-bydgoszcz",
        "voivodeship": "kujawsko-pomorskie",
        "username": "wnioskodawca-kujawsko-pomorskie",
        "name": "Miejski Ośrodek Pomocy Społecznej w Bydgoszczy",
        "street": "ul. Ogrody 9",
        "postal_code": "85-870",
        "city": "Bydgoszcz",
        "person": ("Sylwia", "Malinowska"),
    },
    {
        "key": "gops-druzbice",
        "voivodeship": "lodzkie",
        "username": "wnioskodawca-lodzkie",
        "name": "Gminny Ośrodek Pomocy Społecznej w Drużbicach",
        "street": "Drużbice 77",
        "postal_code": "97-403",
        "city": "Drużbice",
        "person": ("Henryk", "Witkowski"),
    },
    {
        "key": "mops-pabianice",
        "voivodeship": "lodzkie",
        "username": "wnioskodawca-pabianice",
        "name": "Miejski Ośrodek Pomocy Społecznej w Pabianicach",
        "street": "ul. Narutowicza 30",
        "postal_code": "95-200",
        "city": "Pabianice",
        "person": ("Kinga", "Walczak"),
    },
    {
        "key": "mgops-nisko",
        "voivodeship": "podkarpackie",
        "username": "wnioskodawca-podkarpackie",
        "name": "Miejsko-Gminny Ośrodek Pomocy Społecznej w Nisku",
        "street": "ul. Kościuszki 14",
        "postal_code": "37-400",
        "city": "Nisko",
        "person": ("Zbigniew", "Stępień"),
    },
    {
        "key": "mopr-wejherowo",
        "voivodeship": "pomorskie",
        "username": "wnioskodawca-pomorskie",
        "name": "Miejski Ośrodek Pomocy Rodzinie w Wejherowie",
        "street": "ul. Kopernika 13",
        "postal_code": "84-200",
        "city": "Wejherowo",
        "person": ("Aleksandra", "Dąbrowska"),
    },
    {
        "key": "ops-pszczyna",
        "voivodeship": "slaskie",
        "username": "wnioskodawca-slaskie",
        "name": "Ośrodek Pomocy Społecznej w Pszczynie",
        "street": "ul. Dobrawy 2",
        "postal_code": "43-200",
        "city": "Pszczyna",
        "person": ("Tadeusz", "Lis"),
    },
    {
        "key": "humanus",
        "voivodeship": "lubelskie",
        "username": "wnioskodawca-lubelskie",
        "name": "Stowarzyszenie HUMANUS",
        "street": "ul. Ogrodowa 20",
        "postal_code": "23-300",
        "city": "Janów Lubelski",
        "person": ("Bożena", "Kubiak"),
    },
]

# The demo clubs, each at a chosen step. At least one is certified in every
# voivodeship that has one, so that each of their registers shows an entry.
CLUBS = [
    {
        "name": "KIS „Wspólny Dom” Warszawa-Praga",
        "institution": "wspolny-dom",
        "street": "ul. Ząbkowska 40",
        "postal_code": "03-735",
        "city": "Warszawa",
        "gmina": "Warszawa",
        "leader": ("Natalia", "Borowska"),
        "register": (datetime.date(2012, 3, 14), "KIS/14/2012/07"),
        "state": "certified",
    },
    {
        "name": "KIS „Wspólny Dom” Otwock",
        "institution": "wspolny-dom",
        "street": "ul. Armii Krajowej 5",
        "postal_code": "05-400",
        "city": "Otwock",
        "gmina": "Otwock",
        "leader": ("Kamil", "Jankowski"),
        "register": (datetime.date(2021, 9, 1), "KIS/14/2021/31"),
        "state": "submitted",
    },
    {
        "name": "KIS Kostrzyn n. Odrą",
        "institution": "mops-kostrzyn",
        "street": "ul. Gorzowska 17",
        "postal_code": "66-470",
        "city": "Kostrzyn nad Odrą",
        "gmina": "Kostrzyn nad Odrą",
        "leader": ("Ewelina", "Szymańska"),
        "register": (datetime.date(2005, 6, 20), "KIS/08/2005/01"),
        "state": "certified",
    },
    {
        "name": "KIS Słubice",
        "institution": "ops-slubice",
        "street": "ul. Jedności Robotniczej 8",
        "postal_code": "69-100",
        "city": "Słubice",
        "gmina": "Słubice",
        "leader": ("Adam", "Wróbel"),
        "register": (datetime.date(2005, 9, 5), "KIS/08/2005/02"),
        "state": "correction",
    },
    {
        "name": "KIS Kęty",
        "institution": "ops-kety",
        "street": "ul. Wszystkich Świętych 3",
        "postal_code": "32-650",
        "city": "Kęty",
        "gmina": "Kęty",
        "leader": ("Agata", "Cieślak"),
        "register": (datetime.date(2006, 2, 10), "KIS/12/2006/01"),
        "state": "audit_in_progress",
    },
    {
        "name": "KIS Kraków",
        "institution": "mops-krakow",
        "street": "ul. Dietla 64",
        "postal_code": "31-039",
        "city": "Kraków",
        "gmina": "Kraków",
        "leader": ("Przemysław", "Nowak"),
        "register": (datetime.date(2006, 4, 3), "KIS/12/2006/02"),
        "state": "certified",
    },
    {
        "name": "KIS Działdowo",
        "institution": "mops-dzialdowo",
        "street": "ul. Męczenników 6",
        "postal_code": "13-200",
        "city": "Działdowo",
        "gmina": "Działdowo",
        "leader": ("Grażyna", "Olszewska"),
        "register": (datetime.date(2005, 3, 1), "KIS/28/2005/01"),
        "state": "certified",
    },
    {
        "name": "KIS Elbląg",
        "institution": "mops-elblag",
        "street": "ul. Traugutta 29",
        "postal_code": "82-300",
        "city": "Elbląg",
        "gmina": "Elbląg",
        "leader": ("Sebastian", "Kozłowski"),
        "register": (datetime.date(2005, 4, 12), "KIS/28/2005/02"),
        "state": "decision",
    },
    {
        "name": "KIS Janowo",
        "institution": "gops-janowo",
        "street": "ul. Przasnyska 2",
        "postal_code": "13-113",
        "city": "Janowo",
        "gmina": "Janowo",
        "leader": ("Weronika", "Lipińska"),
        "register": (datetime.date(2005, 5, 16), "KIS/28/2005/03"),
        "state": "audit",
    },
    {
        "name": "KIS Jeziorany",
        "institution": "mgops-jeziorany",
        "street": "pl. Zamkowy 3",
        "postal_code": "11-320",
        "city": "Jeziorany",
        "gmina": "Jeziorany",
        "leader": ("Arkadiusz", "Bielecki"),
        "register": (datetime.date(2005, 7, 4), "KIS/28/2005/04"),
        "state": "merit_review",
    },
    {
        "name": "KIS Korsze",
        "institution": "mgops-korsze",
        "street": "ul. Kolejowa 10",
        "postal_code": "11-430",
        "city": "Korsze",
        "gmina": "Korsze",
        "leader": ("Danuta", "Kalinowska"),
        "register": (datetime.date(2005, 8, 22), "KIS/28/2005/05"),
        "state": "refused",
        # No agreement with the PUP yet: the merit review finds a deviation.
        "declared": {"cooperation-pup": Level.NONE},
    },
    {
        "name": "KIS Nidzica",
        "institution": "mgops-nidzica",
        "street": "ul. Mickiewicza 1",
        "postal_code": "13-100",
        "city": "Nidzica",
        "gmina": "Nidzica",
        "leader": ("Hubert", "Zawadzki"),
        "register": (datetime.date(2005, 10, 3), "KIS/28/2005/06"),
        "state": "appealed",
        "not_confirmed": ["individual-legal", "group-courses"],
    },
    {
        "name": "KIS Olecko",
        "institution": "ops-olecko",
        "street": "ul. Gołdapska 4",
        "postal_code": "19-400",
        "city": "Olecko",
        "gmina": "Olecko",
        "leader": ("Lidia", "Sokołowska"),
        "register": (datetime.date(2005, 11, 7), "KIS/28/2005/07"),
        "state": "appeal_review",
        "not_confirmed": ["staff-social-worker"],
    },
    {
        "name": "KIS Piecki",
        "institution": "gops-piecki",
        "street": "ul. Mrągowska 21",
        "postal_code": "11-710",
        "city": "Piecki",
        "gmina": "Piecki",
        "leader": ("Norbert", "Urbański"),
        "register": (datetime.date(2006, 1, 9), "KIS/28/2006/01"),
        "state": "draft",
    },
    {
        "name": "KIS Szczytno",
        "institution": "mops-szczytno",
        "street": "ul. Sienkiewicza 5",
        "postal_code": "12-100",
        "city": "Szczytno",
        "gmina": "Szczytno",
        "leader": ("Paulina", "Tomaszewska"),
        "register": (datetime.date(2006, 3, 20), "KIS/28/2006/02"),
        "state": "withdrawn",
    },
    {
        "name": "KIS Bydgoszcz",
        "institution": "mops-bydgoszcz",
        "street": "ul. Toruńska 12",
        "postal_code": "85-023",
        "city": "Bydgoszcz",
        "gmina": "Bydgoszcz",
        "leader": ("Izabela", "Marciniak"),
        "register": (datetime.date(2004, 11, 15), "KIS/04/2004/01"),
        "state": "certified",
    },
    {
        "name": "KIS Lubanów",
        "institution": "gops-druzbice",
        "street": "Lubanów 12",
        "postal_code": "97-403",
        "city": "Lubanów",
        "gmina": "Drużbice",
        "leader": ("Roman", "Gajewski"),
        "register": (datetime.date(2005, 2, 28), "KIS/10/2005/01"),
        "state": "submitted",
    },
    {
        "name": "KIS Pabianice",
        "institution": "mops-pabianice",
        "street": "ul. Zamkowa 16",
        "postal_code": "95-200",
        "city": "Pabianice",
        "gmina": "Pabianice",
        "leader": ("Małgorzata", "Czerwińska"),
        "register": (datetime.date(2005, 5, 9), "KIS/10/2005/02"),
        "state": "certified",
    },
    {
        "name": "KIS Nisko",
        "institution": "mgops-nisko",
        "street": "ul. 3 Maja 8",
        "postal_code": "37-400",
        "city": "Nisko",
        "gmina": "Nisko",
        "leader": ("Janusz", "Wilk"),
        "register": (datetime.date(2005, 1, 24), "KIS/18/2005/01"),
        "state": "certified",
    },
    {
        "name": "KIS Wejherowo",
        "institution": "mopr-wejherowo",
        "street": "ul. Sobieskiego 255",
        "postal_code": "84-200",
        "city": "Wejherowo",
        "gmina": "Wejherowo",
        "leader": ("Karolina", "Wasiak"),
        "register": (datetime.date(2005, 6, 6), "KIS/22/2005/01"),
        "state": "certified",
    },
    {
        "name": "KIS Pszczyna",
        "institution": "ops-pszczyna",
        "street": "ul. Bogedaina 10",
        "postal_code": "43-200",
        "city": "Pszczyna",
        "gmina": "Pszczyna",
        "leader": ("Artur", "Mroczek"),
        "register": (datetime.date(2005, 9, 19), "KIS/24/2005/01"),
        "state": "certified",
    },
    {
        "name": "KIS Janów Lubelski",
        "institution": "humanus",
        "street": "ul. Bialska 5",
        "postal_code": "23-300",
        "city": "Janów Lubelski",
        "gmina": "Janów Lubelski",
        "leader": ("Edyta", "Pawłowska"),
        "register": (datetime.date(2005, 12, 12), "KIS/06/2005/01"),
        "state": "certified",
    },
]

# What an application tells about each criterion, as an applicant would.
DESCRIPTIONS = {
    "premises-activity-rooms": (
        "Dwie sale zajęć grupowych (40 i 25 m²) i pokój rozmów indywidualnych, "
        "w lokalu użyczonym przez gminę."
    ),
    "premises-sanitary-rooms": "Toalety i umywalnia na tej samej kondygnacji.",
    "premises-accessibility": "Wejście z podjazdem, toaleta dostosowana na parterze.",
    "staff-leader": "Kierownik klubu zatrudniony na pełny etat.",
    "staff-social-worker": "Pracownik socjalny OPS, 20 godzin w miesiącu.",
    "staff-reintegration-specialists": (
        "Psycholog i doradca zawodowy na umowach zlecenia, prawnik w ramach "
        "nieodpłatnej pomocy prawnej."
    ),
    "staff-administration": "Obsługa księgowa prowadzona przez instytucję tworzącą.",
    "organisation-rules": "Regulamin uczestnictwa przyjęty zarządzeniem kierownika.",
    "organisation-diagnosis-forms": (
        "Ankieta wstępna, kwestionariusz zainteresowań zawodowych, testy "
        "psychologiczne stosowane przez psychologa."
    ),
    "organisation-time-frame": (
        "Indywidualny plan zajęć: 40 godzin w miesiącu przez 6 miesięcy."
    ),
    "cooperation-pup": "Porozumienie z powiatowym urzędem pracy o współpracy.",
    "cooperation-ops": "Porozumienie z ośrodkiem pomocy społecznej o kierowaniu osób.",
    "individual-psychological": "Konsultacje psychologiczne 2 razy w tygodniu.",
    "individual-legal": "Porady prawne raz w tygodniu.",
    "individual-social-pedagogical": "Poradnictwo socjalne i pedagogiczne codziennie.",
    "group-self-help": "Grupa wsparcia raz w tygodniu, prowadzi psycholog.",
    "group-psychoeducation": "Warsztaty komunikacji i radzenia sobie ze stresem.",
    "group-integration": "Wyjścia kulturalne i spotkania rodzinne raz w miesiącu.",
    "group-social-vocational-education": (
        "Warsztaty aktywnego poszukiwania pracy i gospodarowania budżetem."
    ),
    "group-courses": "Kursy opiekuna osób starszych i pracownika gospodarczego.",
    "group-pro-employment": "Prace społecznie użyteczne i staże we współpracy z PUP.",
}

_ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def _email(first_name: str, last_name: str) -> str:
    return f"{first_name[0]}.{last_name}@example.org".lower().translate(_ASCII)


class Command(BaseCommand):
    help = (
        "Load voivodeships, units and criteria, then demo accounts and clubs at "
        "every step of the process. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--send-email",
            action="store_true",
            help="Send the e-mails of the demo steps (to example.org addresses) "
            "through the configured backend instead of discarding them.",
        )

    def handle(self, *args, **options):
        # The demo steps notify example.org addresses: discard those e-mails
        # unless asked, so that a configured SMTP server is not sent dozens.
        # The e-mails are sent on commit, so the override spans the commit.
        mail = contextlib.nullcontext()
        if not options["send_email"]:
            mail = override_settings(
                MAILERS={
                    "default": {
                        "BACKEND": "django.core.mail.backends.dummy.EmailBackend"
                    }
                }
            )
        with mail, transaction.atomic():
            self.seed()
        self.print_logins()

    def seed(self) -> None:
        reference_data.load_units()
        reference_data.load_criteria()
        # Before any certificate is issued, so that the demo ones are signed.
        call_command("make_demo_signing_keys", stdout=self.stdout)
        self.today = deadlines.today()

        self.users: dict[str, User] = {}
        self.officers: dict[str, User] = {}
        self.auditors: dict[str, User] = {}
        for row in reference_data.unit_rows():
            slug = row["slug"]
            voivodeship = reference_data.load_voivodeship(row)
            self.officers[slug] = self.user(
                f"urzednik-{slug}",
                OFFICERS[slug],
                selectors.certifying_unit_of(voivodeship.pk),
            )
            self.auditors[slug] = self.user(
                f"audytor-{slug}",
                AUDITORS[slug],
                selectors.audit_unit_of(voivodeship.pk),
            )
        username, *person = APPEAL_OFFICER
        self.appeal_officer = self.user(
            username, person, reference_data.load_appeal_unit()
        )

        applicants = {}
        for spec in INSTITUTIONS:
            unit = self.institution(spec)
            applicants[spec["key"]] = self.user(spec["username"], spec["person"], unit)

        self.superuser()

        created = 0
        for spec in CLUBS:
            applicant = applicants[spec["institution"]]
            if Club.objects.filter(
                name=spec["name"], founding_unit=applicant.unit
            ).exists():
                continue
            self.club_case(spec, applicant)
            created += 1
        logger.info("Demo seed: %s of %s clubs created", created, len(CLUBS))
        self.stdout.write(f"Demo clubs created: {created} of {len(CLUBS)}.")

    # Institutions and people.

    def institution(self, spec: dict) -> Unit:
        voivodeship = reference_data.load_voivodeship(
            reference_data.unit_row(spec["voivodeship"])
        )
        unit, _ = Unit.objects.get_or_create(
            kind=UnitKind.APPLICANT,
            name=spec["name"],
            defaults={
                "voivodeship": voivodeship,
                "street": spec["street"],
                "postal_code": spec["postal_code"],
                "city": spec["city"],
                "email": f"{spec['key']}@example.org",
            },
        )
        return unit

    def user(self, username: str, person, unit: Unit) -> User:
        first_name, last_name = person
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = get_user_model().objects.create_user(
                username=username,
                password=PASSWORD,
                first_name=first_name,
                last_name=last_name,
                email=_email(first_name, last_name),
                unit=unit,
            )
        self.users[username] = user
        return user

    def superuser(self) -> None:
        users = get_user_model().objects
        if not users.filter(username="admin").exists():
            users.create_superuser("admin", "admin@example.org", PASSWORD)

    # The demo cases, driven through the services.

    def club_case(self, spec: dict, applicant: User) -> Application:
        leader_first, leader_last = spec["leader"]
        register_date, register_number = spec["register"]
        club = services.club_create(
            by=applicant,
            data={
                "voivodeship": applicant.unit.voivodeship,
                "name": spec["name"],
                "street": spec["street"],
                "postal_code": spec["postal_code"],
                "city": spec["city"],
                "gmina": spec["gmina"],
                "email": f"kis.{spec['postal_code'].replace('-', '')}@example.org",
                "leader_name": f"{leader_first} {leader_last}",
                "leader_contact": _email(leader_first, leader_last),
                "register_entry_date": register_date,
                "register_entry_number": register_number,
            },
        )
        application = services.application_create(by=applicant, club=club)
        self.fill(application, applicant, spec.get("declared", {}))

        slug = club.voivodeship.slug
        steps = Steps(
            applicant=applicant,
            officer=self.officers[slug],
            auditor=self.auditors[slug],
            appeal_officer=self.appeal_officer,
            today=self.today,
            not_confirmed=spec.get("not_confirmed", []),
            # An audit left in progress has its visit still ahead.
            visit_pending=spec["state"] == "audit_in_progress",
        )
        for step in STEPS[spec["state"]]:
            application = getattr(steps, step)(application)
        return application

    def fill(self, application: Application, applicant: User, declared: dict) -> None:
        first_name, last_name = applicant.first_name, applicant.last_name
        declarations = {}
        for declaration in application.declarations.select_related("criterion"):
            code = declaration.criterion.code
            level = declared.get(code, Level.FULL)
            description = DESCRIPTIONS[code]
            if level == Level.NONE:
                description = "W przygotowaniu."
            declarations[declaration.criterion_id] = {
                "level": level,
                "description": description,
            }
        services.application_update(
            application=application,
            by=applicant,
            authorised_person=f"{first_name} {last_name}",
            authorised_person_contact=applicant.email,
            declarations=declarations,
        )

    def print_logins(self) -> None:
        """The demo accounts as a table, for whoever runs the demo."""
        roles = list(Role)
        users = sorted(
            self.users.values(), key=lambda u: (roles.index(u.role), u.username)
        )
        header = ("username", "role", "voivodeship", "unit", "password")
        rows = [
            ("admin", "administrator", "-", "Django admin", PASSWORD),
            *(
                (
                    u.username,
                    u.role.value,
                    u.unit.voivodeship.name if u.unit.voivodeship_id else "-",
                    u.unit.name,
                    PASSWORD,
                )
                for u in users
            ),
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]

        def line(cells) -> str:
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write("Demo logins:")
        self.stdout.write(line(header))
        self.stdout.write(line(["-" * width for width in widths]))
        for row in rows:
            self.stdout.write(line(row))


class Steps:
    """The demo users taking one step each on an application."""

    def __init__(
        self,
        *,
        applicant: User,
        officer: User,
        auditor: User,
        appeal_officer: User,
        today: datetime.date,
        not_confirmed: list[str],
        visit_pending: bool,
    ) -> None:
        self.applicant = applicant
        self.officer = officer
        self.auditor = auditor
        self.appeal_officer = appeal_officer
        self.today = today
        self.not_confirmed = set(not_confirmed)
        self.visit_pending = visit_pending

    def submit(self, application: Application) -> Application:
        return services.submit_application(application=application, by=self.applicant)

    def request_correction(self, application: Application) -> Application:
        return services.request_correction(
            application=application,
            by=self.officer,
            faults=(
                "Brak daty podpisania porozumienia z OPS; uzupełnić opis kadry "
                "o wymiar czasu pracy specjalistów reintegracji."
            ),
        )

    def accept(self, application: Application) -> Application:
        return services.accept_formally(application=application, by=self.officer)

    def card(self, application: Application) -> Application:
        card = selectors.current_standard_card(application)
        rows = list(card.rows.all())
        deviations = [
            row.criterion.name for row in rows if row.result == Result.DEVIATION
        ]
        if deviations:
            opinion = "Klub nie spełnia minimalnego standardu KIS w zakresie: " + (
                "; ".join(deviations) + "."
            )
        else:
            opinion = (
                "Klub spełnia minimalny standard KIS w zakresie instytucjonalnym "
                "i usługowym; wniosek kieruje się do audytu certyfikacyjnego."
            )
        services.standard_card_save(
            card=card,
            by=self.officer,
            revision=card.revision,
            results={row.pk: {"result": row.computed_result} for row in rows},
            final_opinion=opinion,
            complete=True,
        )
        return application

    def commission(self, application: Application) -> Application:
        return services.commission_audit(application=application, by=self.officer)

    def start(self, application: Application) -> Application:
        planned_on = self.today
        if self.visit_pending:
            planned_on += datetime.timedelta(days=14)
        return services.start_audit(
            application=application,
            by=self.auditor,
            experts=[
                {"name": name, "contact": contact, "no_conflict_declared": True}
                for name, contact in EXPERTS
            ],
            planned_on=planned_on,
        )

    def audit_card(self, application: Application) -> Application:
        audit = selectors.current_audit(application)
        findings = {}
        for finding in audit.findings.all():
            confirmed = finding.criterion.code not in self.not_confirmed
            findings[finding.pk] = {
                "confirmed": confirmed,
                "annotation": "Potwierdzono w trakcie wizyty."
                if confirmed
                else "Nie potwierdzono: brak dokumentów i zajęć w harmonogramie.",
            }
        club = application.club
        positive = not self.not_confirmed
        services.audit_card_save(
            audit=audit,
            by=self.auditor,
            revision=audit.revision,
            findings=findings,
            register_entry_confirmation=(
                f"Potwierdza się wpis do rejestru wojewody nr "
                f"{club.register_entry_number} z dnia "
                f"{club.register_entry_date:%d.%m.%Y}."
            ),
            conclusion="Klub spełnia minimalny standard KIS."
            if positive
            else "Klub nie spełnia minimalnego standardu KIS w części usługowej.",
            conclusion_positive=positive,
        )
        return application

    def deliver(self, application: Application) -> Application:
        return services.deliver_report(application=application, by=self.auditor)

    def grant(self, application: Application) -> Application:
        certificate = services.grant_certificate(
            application=application,
            by=self.officer,
            reasons="Audyt certyfikacyjny potwierdził spełnienie standardu KIS.",
        )
        return certificate.application

    def refuse(self, application: Application) -> Application:
        services.refuse_certificate(
            application=application,
            by=self.officer,
            reasons="Klub nie spełnia minimalnego standardu KIS: "
            "wskazane kryteria nie zostały potwierdzone.",
        )
        return Application.objects.get(pk=application.pk)

    def appeal(self, application: Application) -> Application:
        services.lodge_appeal(
            application=application,
            by=self.applicant,
            grounds="Brakujące zajęcia prowadzimy od bieżącego miesiąca; "
            "załączamy harmonogram i umowy ze specjalistami.",
        )
        return Application.objects.get(pk=application.pk)

    def forward(self, application: Application) -> Application:
        services.forward_appeal(application=application, by=self.officer)
        return Application.objects.get(pk=application.pk)

    def withdraw(self, application: Application) -> Application:
        return services.withdraw_application(
            application=application,
            by=self.applicant,
            note="Instytucja rezygnuje z certyfikacji w tym roku.",
        )
