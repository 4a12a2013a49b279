"""Deterministic synthetic corpus for benchmarks: N meetings in the layout of content/.

    python bench/corpus.py N OUT_DIR [--seed 8]

writes OUT_DIR/people.yaml, organizations.yaml, topics.yaml and OUT_DIR/sources/<id>.yaml
(one article per meeting, holding its source, the meeting and its statements), all passing
``factsheets check OUT_DIR``.  Sizes follow issue #8: about N/5 people, 30 topics, about
N/20 parties (states: the 60 real ones, then states named like them), one or two sources
per meeting (an Arabic article of 8–15 paragraphs; about 30% of meetings are also cited by
the next meeting's article), about 10 statements per meeting.

Everything comes from ``random.Random(seed)``: the same N and seed give byte-identical
files.  Each statement's ``provenance.exact`` is unique in its article by construction: it
ends in a numbered phrase ("… في البند ٧ من المباحثات") that appears once per article, and
the number is followed by a word so "البند ١" is never a prefix of "البند ١٢".
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

from generator.core.stances import READOUT_MARKERS

# --- vocabularies ---------------------------------------------------------------------------

FIRST = [("أحمد", "Ahmad"), ("محمد", "Mohammed"), ("خالد", "Khaled"), ("سامي", "Sami"), ("يوسف", "Yousef"),
         ("عمر", "Omar"), ("فيصل", "Faisal"), ("ناصر", "Nasser"), ("طارق", "Tariq"), ("وليد", "Walid"),
         ("هشام", "Hisham"), ("رامي", "Rami"), ("زياد", "Ziad"), ("عادل", "Adel"), ("كريم", "Karim"),
         ("ماجد", "Majed"), ("نبيل", "Nabil"), ("سعيد", "Saeed"), ("حسن", "Hassan"), ("علي", "Ali"),
         ("إبراهيم", "Ibrahim"), ("مصطفى", "Mustafa"), ("جمال", "Jamal"), ("منى", "Mona"), ("ليلى", "Layla"),
         ("سلمى", "Salma"), ("ريم", "Reem"), ("هالة", "Hala"), ("نادية", "Nadia"), ("دينا", "Dina")]
MIDDLE = [("عبد الله", "Abdullah"), ("حسين", "Hussein"), ("صالح", "Saleh"), ("منصور", "Mansour"),
          ("رشيد", "Rashid"), ("أنور", "Anwar"), ("فؤاد", "Fouad"), ("جواد", "Jawad"), ("نزار", "Nizar"),
          ("بشير", "Bashir"), ("مازن", "Mazen"), ("عماد", "Imad"), ("فريد", "Farid"), ("سليم", "Salim"),
          ("راشد", "Rashed"), ("حمدي", "Hamdi"), ("شريف", "Sherif"), ("لطفي", "Lotfi"), ("مراد", "Murad"),
          ("غسان", "Ghassan")]
LAST = [("الحداد", "al-Haddad"), ("النجار", "al-Najjar"), ("العطار", "al-Attar"), ("الخطيب", "al-Khatib"),
        ("الشامي", "al-Shami"), ("المصري", "al-Masri"), ("العلي", "al-Ali"), ("السعدي", "al-Saadi"),
        ("الزعبي", "al-Zoubi"), ("القاسم", "al-Qasim"), ("الحسيني", "al-Husseini"), ("البكري", "al-Bakri"),
        ("الدوري", "al-Douri"), ("الجبوري", "al-Jubouri"), ("التميمي", "al-Tamimi"), ("الكبيسي", "al-Kubaisi"),
        ("العمري", "al-Omari"), ("الراوي", "al-Rawi"), ("الهاشمي", "al-Hashemi"), ("الفارس", "al-Fares"),
        ("المالكي", "al-Maliki"), ("الشمري", "al-Shammari"), ("العبيدي", "al-Obaidi"), ("السويدي", "al-Suwaidi"),
        ("النعيمي", "al-Nuaimi"), ("الكعبي", "al-Kaabi"), ("المهيري", "al-Muhairi"), ("البدوي", "al-Badawi"),
        ("الشريف", "al-Sharif"), ("الأنصاري", "al-Ansari")]

STATES = [("مصر", "Egypt", "القاهرة", "Cairo"), ("السعودية", "Saudi Arabia", "الرياض", "Riyadh"),
          ("الإمارات", "United Arab Emirates", "أبوظبي", "Abu Dhabi"), ("قطر", "Qatar", "الدوحة", "Doha"),
          ("الكويت", "Kuwait", "الكويت", "Kuwait City"), ("البحرين", "Bahrain", "المنامة", "Manama"),
          ("عمان", "Oman", "مسقط", "Muscat"), ("الأردن", "Jordan", "عمّان", "Amman"),
          ("العراق", "Iraq", "بغداد", "Baghdad"), ("سوريا", "Syria", "دمشق", "Damascus"),
          ("لبنان", "Lebanon", "بيروت", "Beirut"), ("فلسطين", "Palestine", "رام الله", "Ramallah"),
          ("اليمن", "Yemen", "عدن", "Aden"), ("ليبيا", "Libya", "طرابلس", "Tripoli"),
          ("تونس", "Tunisia", "تونس", "Tunis"), ("الجزائر", "Algeria", "الجزائر", "Algiers"),
          ("المغرب", "Morocco", "الرباط", "Rabat"), ("السودان", "Sudan", "الخرطوم", "Khartoum"),
          ("موريتانيا", "Mauritania", "نواكشوط", "Nouakchott"), ("تركيا", "Turkey", "أنقرة", "Ankara"),
          ("إيران", "Iran", "طهران", "Tehran"), ("روسيا", "Russia", "موسكو", "Moscow"),
          ("الصين", "China", "بكين", "Beijing"), ("الهند", "India", "نيودلهي", "New Delhi"),
          ("اليابان", "Japan", "طوكيو", "Tokyo"), ("فرنسا", "France", "باريس", "Paris"),
          ("ألمانيا", "Germany", "برلين", "Berlin"), ("إيطاليا", "Italy", "روما", "Rome"),
          ("إسبانيا", "Spain", "مدريد", "Madrid"), ("بريطانيا", "United Kingdom", "لندن", "London"),
          ("الولايات المتحدة", "United States", "واشنطن", "Washington"), ("كندا", "Canada", "أوتاوا", "Ottawa"),
          ("البرازيل", "Brazil", "برازيليا", "Brasilia"), ("الأرجنتين", "Argentina", "بوينس آيرس", "Buenos Aires"),
          ("جنوب أفريقيا", "South Africa", "بريتوريا", "Pretoria"), ("نيجيريا", "Nigeria", "أبوجا", "Abuja"),
          ("إثيوبيا", "Ethiopia", "أديس أبابا", "Addis Ababa"), ("كينيا", "Kenya", "نيروبي", "Nairobi"),
          ("باكستان", "Pakistan", "إسلام آباد", "Islamabad"), ("إندونيسيا", "Indonesia", "جاكرتا", "Jakarta"),
          ("ماليزيا", "Malaysia", "كوالالمبور", "Kuala Lumpur"), ("كوريا الجنوبية", "South Korea", "سيول", "Seoul"),
          ("أستراليا", "Australia", "كانبرا", "Canberra"), ("اليونان", "Greece", "أثينا", "Athens"),
          ("قبرص", "Cyprus", "نيقوسيا", "Nicosia"), ("أذربيجان", "Azerbaijan", "باكو", "Baku"),
          ("كازاخستان", "Kazakhstan", "أستانا", "Astana"), ("أوزبكستان", "Uzbekistan", "طشقند", "Tashkent"),
          ("بولندا", "Poland", "وارسو", "Warsaw"), ("أوكرانيا", "Ukraine", "كييف", "Kyiv"),
          ("السويد", "Sweden", "ستوكهولم", "Stockholm"), ("النرويج", "Norway", "أوسلو", "Oslo"),
          ("هولندا", "Netherlands", "لاهاي", "The Hague"), ("بلجيكا", "Belgium", "بروكسل", "Brussels"),
          ("سويسرا", "Switzerland", "برن", "Bern"), ("النمسا", "Austria", "فيينا", "Vienna"),
          ("المكسيك", "Mexico", "مكسيكو سيتي", "Mexico City"), ("تشيلي", "Chile", "سانتياغو", "Santiago"),
          ("السنغال", "Senegal", "داكار", "Dakar"), ("تشاد", "Chad", "نجامينا", "N'Djamena")]

# international / regional organizations, built from parts when more are needed than states exist
ORG_HEAD = [("منظمة", "Organization"), ("مجلس", "Council"), ("اتحاد", "Union"), ("رابطة", "League"),
            ("هيئة", "Authority"), ("منتدى", "Forum")]
ORG_AIM = [("التعاون", "Cooperation"), ("التنمية", "Development"), ("الأمن", "Security"), ("التجارة", "Trade"),
           ("الطاقة", "Energy"), ("المياه", "Water"), ("النقل", "Transport"), ("الاستثمار", "Investment")]
ORG_REGION = [("الخليجي", "Gulf"), ("المتوسطي", "Mediterranean"), ("الأفريقي", "African"), ("الآسيوي", "Asian"),
              ("العربي", "Arab"), ("الأوروبي", "European"), ("الإسلامي", "Islamic"), ("الأطلسي", "Atlantic"),
              ("القاري", "Continental"), ("الدولي", "International")]

# Parties beyond the 60 states (N > 1,200, about N/20 parties) and people beyond the 900 first-last
# names (N > 4,500): names of the same length as the ones before them, so that names and ids do
# not get longer as N grows (issue 22, item 4; ``legacy_names`` gives the earlier corpus, whose
# further parties are composed organization names four times as long as a state's, and whose
# further people have middle names). States named from syllables: about 7 letters, as the 60 are.
STATE_SYLLABLES = [("كا", "ka"), ("ري", "ri"), ("مو", "mo"), ("سا", "sa"), ("لا", "la"), ("دو", "do"),
                   ("تي", "ti"), ("نا", "na"), ("بي", "be"), ("غو", "go"), ("فا", "va"), ("زو", "zo"),
                   ("رو", "ro"), ("مي", "mi"), ("تا", "ta"), ("لو", "lo")]
STATE_ENDINGS = [("نيا", "nia"), ("ريا", "ria"), ("ستان", "stan"), ("لاند", "land"), ("را", "ra"), ("دا", "da")]
LAST_MORE = [("الحمدان", "al-Hamdan"), ("الزهراني", "al-Zahrani"), ("العتيبي", "al-Otaibi"), ("القحطاني", "al-Qahtani"),
             ("الغامدي", "al-Ghamdi"), ("الدوسري", "al-Dosari"), ("المطيري", "al-Mutairi"), ("الشهري", "al-Shehri"),
             ("الحربي", "al-Harbi"), ("العنزي", "al-Anazi"), ("السبيعي", "al-Subaie"), ("الخالدي", "al-Khalidi"),
             ("الرفاعي", "al-Rifai"), ("الحلبي", "al-Halabi"), ("الخياط", "al-Khayyat"), ("الصباغ", "al-Sabbagh"),
             ("الدباغ", "al-Dabbagh"), ("الطحان", "al-Tahhan"), ("القباني", "al-Qabbani"), ("الجزائري", "al-Jazairi"),
             ("التونسي", "al-Tunisi"), ("البغدادي", "al-Baghdadi"), ("الموصلي", "al-Mawsili"), ("الحمصي", "al-Homsi"),
             ("الكردي", "al-Kurdi"), ("العمراني", "al-Omrani"), ("الحكيم", "al-Hakim"), ("الأيوبي", "al-Ayyoubi"),
             ("الزين", "al-Zein"), ("الحوراني", "al-Hourani")]

OUTLETS = [("asharq", "الشرق للأخبار", "Asharq News"), ("alnahar-daily", "النهار اليومية", "Al-Nahar Daily"),
           ("al-waqt", "صحيفة الوقت", "Al-Waqt"), ("al-khabar", "الخبر", "Al-Khabar"),
           ("arab-observer", "المراقب العربي", "The Arab Observer"), ("al-mustaqbal", "المستقبل", "Al-Mustaqbal")]
AGENCIES = [("wakala-arabia", "وكالة الأنباء العربية", "Arab News Agency"),
            ("wakala-dawlia", "الوكالة الدولية للأنباء", "International News Agency")]

# 30 topics: id, name ar, name en, object phrase ar (after a verb), object phrase en
TOPICS = [
    ("bilateral-cooperation", "التعاون الثنائي", "Bilateral cooperation", "تعزيز التعاون الثنائي بين البلدين", "strengthening bilateral cooperation between the two countries"),
    ("economic-cooperation", "التعاون الاقتصادي", "Economic cooperation", "توسيع التعاون الاقتصادي والتبادل التجاري", "expanding economic cooperation and trade"),
    ("energy-security", "أمن الطاقة", "Energy security", "ضمان أمن إمدادات الطاقة واستقرار الأسواق", "securing energy supplies and stable markets"),
    ("regional-security", "الأمن الإقليمي", "Regional security", "الحفاظ على الأمن والاستقرار في المنطقة", "preserving security and stability in the region"),
    ("counter-terrorism", "مكافحة الإرهاب", "Counter-terrorism", "تنسيق الجهود في مكافحة الإرهاب والتطرف", "coordinating efforts against terrorism and extremism"),
    ("sovereignty", "احترام السيادة", "Respect for sovereignty", "احترام سيادة الدول ووحدة أراضيها", "respect for the sovereignty and territorial integrity of states"),
    ("non-interference", "عدم التدخل", "Non-interference", "رفض التدخل في الشؤون الداخلية للدول", "rejecting interference in the internal affairs of states"),
    ("international-law", "القانون الدولي", "International law", "احترام القانون الدولي وقرارات الشرعية الدولية", "respect for international law and UN resolutions"),
    ("humanitarian-aid", "المساعدات الإنسانية", "Humanitarian aid", "إيصال المساعدات الإنسانية إلى المتضررين", "delivering humanitarian aid to those affected"),
    ("refugees", "اللاجئون", "Refugees", "تهيئة الظروف لعودة اللاجئين الطوعية", "creating conditions for the voluntary return of refugees"),
    ("reconstruction", "إعادة الإعمار", "Reconstruction", "دعم جهود إعادة الإعمار والتعافي", "supporting reconstruction and recovery"),
    ("investment", "الاستثمار", "Investment", "جذب الاستثمارات المشتركة في القطاعات الواعدة", "attracting joint investment in promising sectors"),
    ("trade", "التبادل التجاري", "Trade", "رفع حجم التبادل التجاري وتذليل العقبات", "raising trade volumes and removing obstacles"),
    ("food-security", "الأمن الغذائي", "Food security", "تعزيز الأمن الغذائي وسلاسل الإمداد", "strengthening food security and supply chains"),
    ("water-resources", "الموارد المائية", "Water resources", "الإدارة العادلة للموارد المائية المشتركة", "fair management of shared water resources"),
    ("climate-change", "تغير المناخ", "Climate change", "مواجهة تداعيات تغير المناخ", "addressing the effects of climate change"),
    ("health-cooperation", "التعاون الصحي", "Health cooperation", "تطوير التعاون في المجال الصحي", "developing cooperation in health"),
    ("education", "التعليم", "Education", "توسيع برامج التبادل التعليمي والمنح الدراسية", "expanding educational exchange and scholarships"),
    ("culture", "التعاون الثقافي", "Cultural cooperation", "تعزيز التواصل الثقافي بين الشعبين", "strengthening cultural ties between the two peoples"),
    ("military-cooperation", "التعاون العسكري", "Military cooperation", "تطوير التعاون العسكري والتقني", "developing military and technical cooperation"),
    ("border-security", "أمن الحدود", "Border security", "ضبط الحدود المشتركة ومنع التهريب", "securing the common border and preventing smuggling"),
    ("maritime-security", "الأمن البحري", "Maritime security", "ضمان حرية الملاحة وأمن الممرات البحرية", "ensuring freedom of navigation and secure sea lanes"),
    ("ceasefire", "وقف إطلاق النار", "Ceasefire", "تثبيت وقف إطلاق النار وخفض التصعيد", "consolidating the ceasefire and de-escalation"),
    ("political-solution", "الحل السياسي", "Political solution", "التوصل إلى حل سياسي شامل للأزمة", "reaching a comprehensive political solution to the crisis"),
    ("palestinian-cause", "القضية الفلسطينية", "The Palestinian question", "إقامة دولة فلسطينية مستقلة وفق حل الدولتين", "an independent Palestinian state under the two-state solution"),
    ("nuclear-nonproliferation", "منع الانتشار النووي", "Nuclear non-proliferation", "منع انتشار أسلحة الدمار الشامل", "preventing the spread of weapons of mass destruction"),
    ("multilateralism", "العمل متعدد الأطراف", "Multilateralism", "تنسيق المواقف في المحافل الدولية", "coordinating positions in international forums"),
    ("transport-links", "الربط والنقل", "Transport links", "إنشاء ممرات للنقل والربط الكهربائي", "building transport corridors and power interconnection"),
    ("digital-economy", "الاقتصاد الرقمي", "Digital economy", "التعاون في التحول الرقمي والاقتصاد الرقمي", "cooperation on digital transformation and the digital economy"),
    ("diaspora", "الجاليات", "Diaspora communities", "رعاية شؤون الجاليات المقيمة في البلدين", "looking after the communities living in both countries"),
]

# stance -> (verb ar, feminine verb ar (a state or organization speaks), preposition ar, verb en); the preposition joins verb and object
STANCES = {
    "affirms": ("أكد", "أكدت", "أهمية", "affirmed the importance of"),
    "calls-for": ("دعا", "دعت", "إلى", "called for"),
    "rejects": ("رفض", "رفضت", "المساس بمبدأ", "rejected any undermining of"),
    "commits-to": ("تعهد", "تعهدت", "بمواصلة", "pledged to continue"),
    "seeks": ("سعى", "سعت", "إلى", "sought"),
    "describes": ("تناول", "تناولت", "ملف", "discussed"),
    "agrees": ("اتفق", "اتفقت", "على", "agreed on"),
    "condemns": ("أدان", "أدانت", "كل ما يعرقل", "condemned anything obstructing"),
    "welcomes": ("رحب", "رحبت", "بخطوات", "welcomed steps towards"),
    "warns": ("حذر", "حذرت", "من عواقب إهمال", "warned against neglecting"),
}
ROLES = [("وزير الخارجية", "Foreign Minister"), ("الرئيس", "President"), ("رئيس الوزراء", "Prime Minister"),
         ("وزير الدفاع", "Defence Minister"), ("وزير الاقتصاد", "Economy Minister"), ("المبعوث الخاص", "Special Envoy"),
         ("وزير الطاقة", "Energy Minister"), ("السفير", "Ambassador"), ("مستشار الأمن الوطني", "National Security Adviser")]
ORG_ROLES = [("الأمين العام", "Secretary-General"), ("المدير التنفيذي", "Executive Director"),
             ("رئيس المفوضية", "Commission Chair"), ("نائب الأمين العام", "Deputy Secretary-General")]
KINDS = [("talks", "مباحثات", "talks"), ("reception", "استقبال", "reception"), ("phone-call", "اتصال هاتفي", "phone call"),
         ("visit", "زيارة", "visit"), ("press-conference", "مؤتمر صحافي", "press conference"),
         ("summit", "قمة", "summit"), ("conference", "مؤتمر", "conference")]
WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

FILLER = [
    "وجاء اللقاء في إطار الجهود المبذولة لتعزيز العلاقات بين {a} و{b} في مختلف المجالات.",
    "وتناولت المباحثات عدداً من الملفات الإقليمية والدولية ذات الاهتمام المشترك.",
    "وأشارت مصادر مطلعة إلى أن الجانبين عقدا جلسة مغلقة قبل الجلسة الموسعة بحضور الوفدين.",
    "ويأتي هذا اللقاء بعد أسابيع من اتصالات مكثفة بين المسؤولين في البلدين.",
    "وحضر اللقاء عدد من كبار المسؤولين والدبلوماسيين من الجانبين.",
    "وأفادت وسائل إعلام محلية بأن الزيارة تستمر يومين تشمل لقاءات مع مسؤولين اقتصاديين.",
    "وأوضح بيان مشترك صدر في ختام اللقاء أن المباحثات جرت في أجواء ودية وبناءة.",
    "ويرى مراقبون أن التقارب بين {a} و{b} يعكس تحولات أوسع في المنطقة.",
    "ولم تكشف المصادر عن تفاصيل إضافية بشأن الاتفاقات التي جرى بحثها.",
    "وكانت العلاقات بين البلدين قد شهدت فتوراً خلال السنوات الماضية قبل أن تستأنف الاتصالات.",
    "ومن المقرر أن تعقد اللجنة المشتركة اجتماعها المقبل في {place} خلال الأشهر القادمة.",
    "وتطرق الجانبان إلى التحضيرات الجارية للاستحقاقات الدولية المقبلة.",
    "وأكدت مصادر دبلوماسية أن اللقاء تناول أيضاً ترتيبات زيارات رسمية مرتقبة.",
    "وشهد اللقاء توقيع مذكرات تفاهم في مجالات متعددة بحسب ما أعلنه المتحدث الرسمي.",
]
HEADINGS = ["تفاصيل المباحثات", "ملفات إقليمية", "اتفاقات ومذكرات تفاهم", "مواقف متبادلة", "خلفية اللقاء"]
OUTCOMES = [("توقيع مذكرة تفاهم للتعاون الاقتصادي.", "Signing of a memorandum of understanding on economic cooperation."),
            ("الاتفاق على تشكيل لجنة مشتركة.", "Agreement to form a joint committee."),
            ("الاتفاق على عقد جولة مباحثات جديدة.", "Agreement to hold a new round of talks."),
            ("إطلاق منتدى أعمال مشترك.", "Launch of a joint business forum."),
            ("الاتفاق على تسهيل منح التأشيرات.", "Agreement to ease visa procedures.")]

MODES = ["paraphrase"] * 5 + ["direct-quote"] * 2 + ["joint-statement"] * 2 + ["reported"]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def ar_num(n: int) -> str:
    return str(n).translate(AR_DIGITS)


def bi(ar: str, en: str) -> dict:
    return {"ar": ar, "en": en}


# --- the generator ----------------------------------------------------------------------------

class Synth:
    def __init__(self, n: int, seed: int = 8, parties: int | None = None, legacy_names: bool = False):
        self.n = n
        self.rng = random.Random(seed)
        self.legacy = legacy_names
        self.meeting_ids: set[str] = set()
        self.parties = self._parties(parties or max(4, round(n / 20)))
        self.people = self._people(max(4, round(n / 5)))
        self.by_party: dict[str, list[dict]] = {}
        for p in self.people:
            self.by_party.setdefault(p["_party"], []).append(p)

    # -- entities ---------------------------------------------------------------------------
    def _parties(self, k: int) -> list[dict]:
        out = []
        for ar, en, cap_ar, cap_en in STATES[:k]:
            out.append({"id": slugify(en), "name": bi(ar, en), "kind": "state", "_cap": (cap_ar, cap_en), "_ar": ar, "_en": en})
        combos = [(h, a, r) for r in ORG_REGION for a in ORG_AIM for h in ORG_HEAD]
        self.rng.shuffle(combos)
        if not self.legacy and k > len(out):  # further states, named like the first ones
            names = [(a[0] + b[0] + e[0], (a[1] + b[1] + e[1]).capitalize())
                     for a in STATE_SYLLABLES for b in STATE_SYLLABLES for e in STATE_ENDINGS if a != b]
            self.rng.shuffle(names)
            for ar, en in names[: k - len(out)]:
                out.append({"id": slugify(en), "name": bi(ar, en), "kind": "state", "_cap": self.rng.choice(STATES)[2:],
                            "_ar": ar, "_en": en})
        for (h_ar, h_en), (a_ar, a_en), (r_ar, r_en) in combos[: max(0, k - len(out))]:
            ar, en = f"{h_ar} {a_ar} {r_ar}", f"{r_en} {h_en} for {a_en}"
            out.append({"id": slugify(en), "name": bi(ar, en), "kind": "international-organization",
                        "_cap": self.rng.choice(STATES)[2:], "_ar": ar, "_en": en})
        return out

    def _people(self, k: int) -> list[dict]:
        rng = self.rng
        names = [(f, ln) for f in FIRST for ln in LAST]
        rng.shuffle(names)
        if not self.legacy and k > len(names):  # more first-last names, not longer ones
            more = [(f, ln) for f in FIRST for ln in LAST_MORE]
            rng.shuffle(more)
            names += more
        triples = [(f, m, ln) for f in FIRST for m in MIDDLE for ln in LAST]
        seen: set[str] = set()
        people = []
        for i in range(k):
            if i < len(names):
                (f_ar, f_en), (l_ar, l_en) = names[i]
                ar, en = f"{f_ar} {l_ar}", f"{f_en} {l_en}"
            else:
                (f_ar, f_en), (m_ar, m_en), (l_ar, l_en) = triples[rng.randrange(len(triples))]
                ar, en = f"{f_ar} {m_ar} {l_ar}", f"{f_en} {m_en} {l_en}"
            ident = slugify(en)
            while ident in seen:
                ident = f"{slugify(en)}-{rng.randrange(2, 99)}"
            seen.add(ident)
            party = self.parties[i % len(self.parties)]
            roles_pool = ROLES if party["kind"] == "state" else ORG_ROLES
            r_ar, r_en = rng.choice(roles_pool)
            title = bi(f"{r_ar} في {party['_ar']}", f"{r_en} of {party['_en']}")
            start = date(2012 + rng.randrange(8), 1 + rng.randrange(12), 1 + rng.randrange(28))
            roles = [{"title": title, "organization": party["id"], "start": start.isoformat()}]
            if rng.random() < 0.3:  # an earlier role, ended
                p_ar, p_en = rng.choice(ROLES)
                roles.insert(0, {"title": bi(f"{p_ar} في {party['_ar']}", f"{p_en} of {party['_en']}"),
                                 "organization": party["id"],
                                 "start": (start - timedelta(days=900 + rng.randrange(900))).isoformat(),
                                 "end": (start - timedelta(days=1)).isoformat()})
            people.append({"id": ident, "name": bi(ar, en),
                           "aliases": {"ar": [ar.split()[-1]], "en": [en.split()[-1]]},
                           "roles": roles, "_party": party["id"], "_ar": ar, "_en": en, "_title": title})
        return people

    # -- one meeting, its article and its statements ----------------------------------------
    def meeting(self, i: int, day: date, published: date) -> tuple[dict, dict, list[dict]]:
        rng = self.rng
        a, b = rng.sample(self.parties, 2)
        host = a
        kind, kind_ar, kind_en = rng.choice(KINDS)
        people = []
        for party in (a, b):
            pool = self.by_party.get(party["id"], [])
            people += [(p, party) for p in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))]
        outlet = OUTLETS[i % len(OUTLETS)][0]
        if self.legacy:  # a counter in every id: ids one digit longer at each tenfold N
            mid = f"{kind}-{day.isoformat()}-{i}-{a['id']}-{b['id']}"[:80].strip("-")
        else:  # as an analyst would name it; a number only to tell apart two otherwise alike
            mid, again = f"{kind}-{day.isoformat()}-{a['id']}-{b['id']}"[:80].strip("-"), 1
            while mid[:60].rstrip("-") in self.meeting_ids:
                again += 1
                mid = f"{kind}-{day.isoformat()}-{again}-{a['id']}-{b['id']}"[:80].strip("-")
            self.meeting_ids.add(mid[:60].rstrip("-"))
        sid = f"{outlet}-{published.isoformat()}-{i:05d}"
        cap_ar, cap_en = host["_cap"]
        meeting = {
            "id": mid,
            "title": bi(f"{kind_ar} بين {a['_ar']} و{b['_ar']} في {cap_ar}",
                        f"{a['_en']}–{b['_en']} {kind_en} in {cap_en}"),
            "date": {"start": day.isoformat(), "method": "weekday-relative" if day != published else "stated",
                     "phrase": WEEKDAYS_AR[day.weekday()]},
            "location": bi(cap_ar, cap_en),
            "kind": kind,
            "parties": [a["id"], b["id"]],
            "participants": [{"person": p["id"], "side": party["id"]} for p, party in people],
            "topics": [],
            "outcomes": [bi(*o) for o in rng.sample(OUTCOMES, rng.choice((0, 0, 1, 2)))],
            "sources": [sid],
        }
        if not meeting["outcomes"]:
            del meeting["outcomes"]
        # statements and the paragraphs that carry them
        n_par = rng.randint(8, 15)
        n_st = rng.randint(8, 12)
        heading_at = rng.randrange(4, n_par - 2) if rng.random() < 0.4 else None
        text_slots = [j for j in range(1, n_par) if j != heading_at]  # paragraph 0 is the lead
        homes = sorted(rng.choice(text_slots) for _ in range(n_st))
        paragraphs: list[list[str]] = [[] for _ in range(n_par)]
        lead = (f"{'استقبل' if kind == 'reception' else 'بحث'} {people[0][0]['_ar'] if people else a['_ar']} "
                f"في {cap_ar}، يوم {WEEKDAYS_AR[day.weekday()]}، مع وفد من {b['_ar']} سبل تطوير العلاقات بين البلدين، "
                f"في {kind_ar} تناول ملفات ثنائية وإقليمية عدة.")
        paragraphs[0].append(lead)
        statements = []
        topics_used: list[str] = []
        for k, home in enumerate(homes, start=1):
            topic = rng.choice(TOPICS)
            extra_topic = rng.choice(TOPICS) if rng.random() < 0.25 else None
            stance = rng.choice(list(STANCES))
            v_ar, v2_ar, prep_ar, v_en = STANCES[stance]
            mode = rng.choice(MODES)
            if mode in ("paraphrase", "direct-quote", "reported") and people and rng.random() < 0.8:
                person, side = rng.choice(people)
                speaker = {"person": person["id"]}
                who_ar, who_en = person["_ar"], person["_en"]
                verb = v_ar
                subject = f"{who_ar}، {person['_title']['ar']}،"
            elif mode == "joint-statement" or rng.random() < 0.5:
                mode = "joint-statement"
                speaker = {"joint": [a["id"], b["id"]]}
                who_ar, who_en = "الجانبان", f"{a['_en']} and {b['_en']}"
                verb = v_ar
                subject = "الجانبان"
            else:
                org = rng.choice((a, b))
                speaker = {"organization": org["id"]}
                who_ar, who_en = org["_ar"], org["_en"]
                verb = v2_ar
                subject = org["_ar"]
                if mode == "direct-quote":
                    mode = "paraphrase"
            exact = f"{prep_ar} {topic[3]} في البند {ar_num(k)} من المباحثات"
            sentence = f"و{verb} {subject} {exact}"
            st = {"id": f"{mid[:60].rstrip('-')}-s{k}", "meeting": mid, "speaker": speaker,
                  "topics": [topic[0]] + ([extra_topic[0]] if extra_topic and extra_topic[0] != topic[0] else []),
                  "stance": stance,
                  "summary": bi(f"{v2_ar if 'organization' in speaker else v_ar} {who_ar} {prep_ar} {topic[3]}.",
                                f"{who_en} {v_en} {topic[4]}."),
                  "mode": mode}
            if mode == "reported":
                agency_id, agency_ar, _ = AGENCIES[k % len(AGENCIES)]
                st["reported_by"] = agency_id
                sentence += f"، بحسب {agency_ar}"
                # an agency's account is a paragraph of its own: the statements around it are not
                # the agency's (factsheets check warns attribution-missing otherwise)
                paragraphs.append([])
                home = len(paragraphs) - 1
            if mode == "direct-quote":
                q_ar = f"نحن ملتزمون بالعمل المشترك من أجل {topic[3]}"
                q_en = f"we are committed to working together for {topic[4]}"
                st["words"] = bi(q_ar, q_en)
                sentence += f"، وقال: \"{q_ar}\""
            st["provenance"] = {"source": sid, "exact": exact}
            paragraphs[home].append(sentence + ".")
            statements.append(st)
            for t in st["topics"]:
                if t not in topics_used:
                    topics_used.append(t)
        names = {"a": a["_ar"], "b": b["_ar"], "place": cap_ar}
        for j, par in enumerate(paragraphs):
            if j == heading_at:
                continue
            # a filler that relays someone else's account stays out of paragraphs holding statements
            pool = [f for f in FILLER if not any(m in f for m in READOUT_MARKERS)] if par else FILLER
            for filler in rng.sample(pool, rng.randint(1, 2) if par else rng.randint(2, 3)):
                par.insert(rng.randrange(len(par) + 1) if par and j else len(par), filler.format(**names))
        text: list = []
        for j, par in enumerate(paragraphs):
            text.append({"heading": rng.choice(HEADINGS)} if j == heading_at else " ".join(par))
        meeting["topics"] = topics_used
        source = {
            "id": sid, "outlet": outlet, "url": f"https://example.org/{outlet}/{published.isoformat()}/{i}",
            "published": published.isoformat(), "language": "ar",
            "headline": f"{a['_ar']} و{b['_ar']}.. {rng.choice(['مباحثات لتعزيز التعاون', 'تأكيد على تنسيق المواقف', 'مرحلة جديدة في العلاقات', 'اتفاق على توسيع الشراكة'])}",
            "dateline": {"text": f"{cap_ar} -{dict((o[0], o[1]) for o in OUTLETS)[outlet]}", "place": bi(cap_ar, cap_en)},
            "text": text,
        }
        return source, meeting, statements

    def build(self) -> dict[str, dict]:
        """relative path -> YAML document (a dict), in a stable order."""
        rng = self.rng
        files: dict[str, dict] = {}
        day = date(2021, 1, 4)
        articles = []
        for i in range(self.n):
            day += timedelta(days=rng.choice((0, 0, 1, 1, 2)))
            published = day + timedelta(days=rng.choice((0, 1, 1, 2)))
            articles.append(self.meeting(i, day, published))
        # about 30% of meetings are also cited by the next article (published later)
        for i in range(self.n - 1):
            if rng.random() < 0.3:
                articles[i][1]["sources"].append(articles[i + 1][0]["id"])
        for source, meeting, statements in articles:
            files[f"sources/{source['id']}.yaml"] = {"source": source, "meetings": [meeting], "statements": statements}
        orgs = [{"id": p["id"], "name": p["name"], "kind": p["kind"]} for p in self.parties]
        orgs += [{"id": oid, "name": bi(ar, en), "kind": "news-outlet"} for oid, ar, en in OUTLETS]
        orgs += [{"id": oid, "name": bi(ar, en), "kind": "news-agency"} for oid, ar, en in AGENCIES]
        files["organizations.yaml"] = {"organizations": orgs}
        files["people.yaml"] = {"people": [{k: v for k, v in p.items() if not k.startswith("_")} for p in self.people]}
        files["topics.yaml"] = {"topics": [
            {"id": tid, "name": bi(ar, en),
             "description": bi(f"مواقف الأطراف بشأن {obj_ar}.", f"What the parties said about {obj_en}.")}
            for tid, ar, en, obj_ar, obj_en in TOPICS]}
        return files


#: libyaml's emitter when PyYAML has it: the same bytes as the pure-Python one (checked on every
#: file of N = 400 and 1,000), five times faster (the tests write corpora of hundreds of meetings)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(doc: dict) -> str:
    return yaml.dump(doc, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def mark_statement(path: Path, index: int | None, marker: str) -> dict:
    """Append ``marker`` to the summary (ar and en) of statement ``index`` (None: the middle one)
    in the source file at ``path``, keeping its header line; return that statement."""
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    doc = yaml.safe_load(body)
    st = doc["statements"][len(doc["statements"]) // 2 if index is None else index]
    st["summary"] = {"ar": st["summary"]["ar"] + f" (تعديل {marker})", "en": st["summary"]["en"] + f" (edit {marker})"}
    path.write_text(header + "\n" + dump(doc), encoding="utf-8")
    return st


def write_corpus(n: int, out: Path, seed: int = 8, parties: int | None = None, legacy_names: bool = False) -> int:
    """Write the corpus into ``out`` (emptied first); return the number of files.

    ``parties`` fixes the number of states/organizations (default about N/20); a small fixed
    number (a real archive about two or three states) makes every party's pages grow with N.
    ``legacy_names``: the corpus as it was before 2026-12-02, whose names and ids get longer
    with N (a counter in meeting ids; composed organization names beyond 60 parties; middle
    names beyond 900 people)."""
    files = Synth(n, seed, parties, legacy_names).build()
    if out.exists():
        shutil.rmtree(out)
    for rel, doc in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Synthetic benchmark content (bench/corpus.py, N={n}, seed={seed}); not real events.\n"
                        + dump(doc), encoding="utf-8")
    return len(files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of meetings")
    ap.add_argument("out", type=Path, help="output folder (layout of content/); emptied first")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--parties", type=int, default=None, help="number of states/organizations (default about N/20)")
    ap.add_argument("--legacy-names", action="store_true", help="names and ids as before 2026-12-02 (longer as N grows)")
    args = ap.parse_args()
    count = write_corpus(args.n, args.out, args.seed, args.parties, args.legacy_names)
    print(f"wrote {count} files for N={args.n} (seed {args.seed}) into {args.out}")


if __name__ == "__main__":
    main()
