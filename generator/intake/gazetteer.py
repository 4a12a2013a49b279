"""A small shipped gazetteer: capitals and major cities (Arabic and English names, country),
and the nisba adjectives of states (الروسي، التركية…), for `factsheets new`.

Used to find the meeting's place (``في <city>``, ``إلى <capital>``, with clitics) and the
country of an unregistered counterpart (``وزير الخارجية التركي هاكان فيدان``).  Registered
organizations always win over this list; it only fills gaps, and every use is marked for review.
"""

from __future__ import annotations

from generator.core.arabic import normalize

#: Arabic name(s) -> (English name, country id as the registries spell it).
_CITIES: tuple[tuple[tuple[str, ...], str, str | None], ...] = (
    (("دمشق",), "Damascus", "syria"), (("حلب",), "Aleppo", "syria"), (("حمص",), "Homs", "syria"),
    (("اللاذقية",), "Latakia", "syria"), (("موسكو",), "Moscow", "russia"), (("سوتشي",), "Sochi", "russia"),
    (("سان بطرسبورغ", "سانت بطرسبرغ"), "Saint Petersburg", "russia"), (("القاهرة",), "Cairo", "egypt"),
    (("شرم الشيخ",), "Sharm el-Sheikh", "egypt"), (("الإسكندرية",), "Alexandria", "egypt"),
    (("بيروت",), "Beirut", "lebanon"), (("عمان",), "Amman", "jordan"), (("بغداد",), "Baghdad", "iraq"),
    (("أربيل",), "Erbil", "iraq"), (("الرياض",), "Riyadh", "saudi-arabia"), (("جدة",), "Jeddah", "saudi-arabia"),
    (("الدوحة",), "Doha", "qatar"), (("أبوظبي", "أبو ظبي"), "Abu Dhabi", "united-arab-emirates"),
    (("دبي",), "Dubai", "united-arab-emirates"), (("الكويت",), "Kuwait City", "kuwait"),
    (("المنامة",), "Manama", "bahrain"), (("مسقط",), "Muscat", "oman"), (("صنعاء",), "Sanaa", "yemen"),
    (("عدن",), "Aden", "yemen"), (("طهران",), "Tehran", "iran"), (("أنقرة",), "Ankara", "turkey"),
    (("إسطنبول", "اسطنبول"), "Istanbul", "turkey"), (("القدس",), "Jerusalem", None),
    (("رام الله",), "Ramallah", "palestine"), (("غزة",), "Gaza", "palestine"),
    (("تل أبيب",), "Tel Aviv", "israel"), (("الجزائر",), "Algiers", "algeria"), (("تونس",), "Tunis", "tunisia"),
    (("الرباط",), "Rabat", "morocco"), (("طرابلس",), "Tripoli", None), (("الخرطوم",), "Khartoum", "sudan"),
    (("نواكشوط",), "Nouakchott", "mauritania"), (("واشنطن",), "Washington", "united-states"),
    (("نيويورك",), "New York", "united-states"), (("لندن",), "London", "united-kingdom"),
    (("باريس",), "Paris", "france"), (("برلين",), "Berlin", "germany"), (("روما",), "Rome", "italy"),
    (("مدريد",), "Madrid", "spain"), (("بروكسل",), "Brussels", "belgium"), (("جنيف",), "Geneva", "switzerland"),
    (("فيينا",), "Vienna", "austria"), (("بكين",), "Beijing", "china"), (("طوكيو",), "Tokyo", "japan"),
    (("نيودلهي",), "New Delhi", "india"), (("إسلام آباد",), "Islamabad", "pakistan"), (("كابول",), "Kabul", "afghanistan"),
    (("كييف",), "Kyiv", "ukraine"), (("مينسك",), "Minsk", "belarus"), (("أستانا",), "Astana", "kazakhstan"),
    (("باكو",), "Baku", "azerbaijan"), (("يريفان",), "Yerevan", "armenia"), (("أنطاكيا",), "Antakya", "turkey"),
    (("نيقوسيا",), "Nicosia", "cyprus"), (("أثينا",), "Athens", "greece"), (("بريتوريا",), "Pretoria", "south-africa"),
    (("أديس أبابا",), "Addis Ababa", "ethiopia"), (("برازيليا",), "Brasília", "brazil"),
)

#: Nisba (masculine, normalized) -> (Arabic state name, English name, id as the registries spell it).
_NISBA: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("السوري",), "سوريا", "Syria", "syria"), (("الروسي",), "روسيا", "Russia", "russia"),
    (("التركي",), "تركيا", "Turkey", "turkey"), (("المصري",), "مصر", "Egypt", "egypt"),
    (("اللبناني",), "لبنان", "Lebanon", "lebanon"), (("الاردني",), "الأردن", "Jordan", "jordan"),
    (("العراقي",), "العراق", "Iraq", "iraq"), (("السعودي",), "السعودية", "Saudi Arabia", "saudi-arabia"),
    (("القطري",), "قطر", "Qatar", "qatar"), (("الاماراتي",), "الإمارات", "United Arab Emirates", "united-arab-emirates"),
    (("الكويتي",), "الكويت", "Kuwait", "kuwait"), (("البحريني",), "البحرين", "Bahrain", "bahrain"),
    (("العماني",), "عُمان", "Oman", "oman"), (("اليمني",), "اليمن", "Yemen", "yemen"),
    (("الايراني",), "إيران", "Iran", "iran"), (("الامريكي", "الاميركي", "الامريكيه"), "الولايات المتحدة", "United States",
                                                    "united-states"),
    (("البريطاني",), "بريطانيا", "United Kingdom", "united-kingdom"), (("الفرنسي",), "فرنسا", "France", "france"),
    (("الالماني",), "ألمانيا", "Germany", "germany"), (("الايطالي",), "إيطاليا", "Italy", "italy"),
    (("الاسباني",), "إسبانيا", "Spain", "spain"), (("الصيني",), "الصين", "China", "china"),
    (("الياباني",), "اليابان", "Japan", "japan"), (("الهندي",), "الهند", "India", "india"),
    (("الباكستاني",), "باكستان", "Pakistan", "pakistan"), (("الاوكراني",), "أوكرانيا", "Ukraine", "ukraine"),
    (("الجزائري",), "الجزائر", "Algeria", "algeria"), (("التونسي",), "تونس", "Tunisia", "tunisia"),
    (("المغربي",), "المغرب", "Morocco", "morocco"), (("الليبي",), "ليبيا", "Libya", "libya"),
    (("السوداني",), "السودان", "Sudan", "sudan"), (("الفلسطيني",), "فلسطين", "Palestine", "palestine"),
    (("الاسرائيلي",), "إسرائيل", "Israel", "israel"), (("القبرصي",), "قبرص", "Cyprus", "cyprus"),
    (("اليوناني",), "اليونان", "Greece", "greece"), (("الاذربيجاني",), "أذربيجان", "Azerbaijan", "azerbaijan"),
    (("الكازاخستاني",), "كازاخستان", "Kazakhstan", "kazakhstan"), (("البرازيلي",), "البرازيل", "Brazil", "brazil"),
)


class Gazetteer:
    """Lookups on normalized words."""

    def __init__(self) -> None:
        self.cities: dict[str, tuple[str, str, str | None]] = {}
        for names, en, country in _CITIES:
            for ar in names:
                self.cities[normalize(ar)] = (ar, en, country)
        self.nisba: dict[str, tuple[str, str, str]] = {}
        for forms, ar, en, ident in _NISBA:
            for form in forms:
                key = normalize(form)
                self.nisba[key] = (ar, en, ident)
                self.nisba[key + "ه"] = (ar, en, ident)       # feminine: التركية → normalized التركيه

    def city(self, words: str) -> tuple[str, str, str | None] | None:
        return self.cities.get(normalize(words))

    def country_of(self, word: str) -> tuple[str, str, str] | None:
        """The state named by a nisba adjective (و/ف in front allowed)."""
        key = normalize(word)
        hit = self.nisba.get(key)
        if hit is None and key[:1] in ("و", "ف"):
            hit = self.nisba.get(key[1:])
        return hit


GAZETTEER = Gazetteer()
