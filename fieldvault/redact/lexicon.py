"""Word lists the detector leans on: names (faker's, MIT; nicknames, Apache-2.0), the system dictionary
(Debian's wamerican) to tell names from ordinary words, and the hard negatives that must never be redacted.
"""

from __future__ import annotations

import functools
import gzip
import unicodedata
from pathlib import Path

from fieldvault.errors import FieldvaultError

DICTIONARY = Path("/usr/share/dict/american-english")

US_STATES = {
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
    "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
    "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada",
    "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "ohio", "oklahoma",
    "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas", "utah",
    "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming",
}  # fmt: skip
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]  # fmt: skip
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
HOLIDAYS = {"christmas", "easter", "thanksgiving", "halloween", "hanukkah", "ramadan", "kwanzaa", "new year",
            "new years", "valentine", "valentines", "mother's day", "father's day", "hogmanay", "diwali", "eid",
            "passover", "lent", "advent", "yom kippur", "rosh hashanah", "nowruz", "vesak", "matariki", "waitangi day",
            "anzac day", "burns night", "guy fawkes"}  # fmt: skip
# Never identifiers, whatever their case: faith, recovery programmes, agencies, family roles.
# National and local ID schemes a number is given by, said without "number": "my NIN is", "her nida, um, one nine",
# "my philsys is like 1234", "omang 435 218 907", "my NIS was" (regex alternatives; a cue only right before digits).
ID_SCHEMES = (
    r"nin|nida|philsys|psn|omang|cnic|nic|nid|mykad|huduma|nrc|nis|aadhaa?r|umid|sss|gsis|bvn|nino|ppsn|tfn|ird|nhi|"
    r"rut|ruc|dni|cpf|curp|cuit|cuil|nie|dpi|c[eé]dula|"
    r"o\.?\s?b\.?(?=\s+(?:number|no\b))|crime\s+reference|occurrence\s+book|ghana\s+card|national\s+(?:id|identity|insurance|registration)(?:\s+card)?|voter['’]?s?\s+(?:id|card)"
)
HARD_NEGATIVES = {
    "god", "jesus", "christ", "lord", "higher power", "holy spirit", "bible", "aa", "na", "ged", "cps", "dcs",
    "mom", "mommy", "momma", "mama", "dad", "daddy", "grandma", "grandpa", "i", "english", "spanish", "american",
    "mexican", "alcoholics anonymous", "narcotics anonymous", "twelve step", "12 step", "jail", "prison", "ok",
    "okay", "yeah", "um", "uh", "hmm", "mm", "dr", "mr", "mrs", "ms", "miss", "officer", "the", "tv", "ssi",
    "ssdi", "usa", "us", "america", "catholic", "christian", "baptist", "muslim", "jewish", "granny", "nana",
    "nanna", "nan", "gran", "grammy", "gramma", "grandmama", "granddaddy", "grandaddy", "grandmother",
    "grandfather", "mamaw", "papaw", "meemaw", "pawpaw", "auntie", "stepdad", "stepmom", "methadone", "heroin",
    "fentanyl", "meth", "cocaine", "xanax", "percocet", "percs", "oxycodone", "oxy", "suboxone", "narcan",
    "vivitrol", "adderall", "klonopin", "valium", "vicodin", "norco", "dilaudid", "ketamine", "marijuana",
    "covid", "coronavirus", "tia", "tio", "abuela", "abuelo", "abuelita", "mija", "mijo", "prima", "primo",
    "madrina", "padrino", "comadre", "compadre", "mami", "papi", "hermana", "hermano", "mam", "mammy", "nanny",
    "bunkie", "bunky", "celly", "cellie", "bunkmate", "cellmate",
    # kin and family words of other languages she uses: Cree and Ojibwe, Māori, Tagalog, Yiddish, German, Italian
    "kokum", "kookum", "kokom", "mooshum", "moshum", "moshom", "whanau", "whānau", "koro", "kuia", "tamariki",
    "kuya", "tita", "bubbe", "bubby", "zayde", "zaide", "oma", "opa", "nonna", "nonno",
    # Welsh, Irish, Somali, Hmong, Vietnamese, Filipino, Arabic, South Asian and Polish kin words
    "nain", "taid", "mamgu", "tadcu", "bampa", "ayeeyo", "awoowe", "aabo", "hooyo", "niam", "txiv", "pog", "yawm",
    "ate", "teta", "sitto", "jiddo", "nanaji", "dadi", "babcia", "dziadek",
    # events said by their kind, never anyone's name: "the Eisteddfod on the telly", "the powwow in July"
    "eisteddfod", "powwow", "pow wow", "pow-wow", "feis", "ceilidh", "potlatch", "quinceanera", "quinceañera",
    "bar mitzvah", "bat mitzvah", "hajj", "umrah",
    # scripture and prayers said by their kind, as "bible" is: "teach Quran", "on Wednesdays, Novena day" (not "Mass":
    # "Mass and Cass", a corner in Boston; "Mass General", a hospital)
    "quran", "koran", "qur'an", "torah", "novena",
} | US_STATES | set(MONTHS) | WEEKDAYS | HOLIDAYS  # fmt: skip
# The words of the research itself: diagnoses, benefits, services and institutions, the street trade's words,
# national websites and recovery literature. Written with capitals in a cased transcript, never a name.
RESEARCH_WORDS = {
    "ptsd", "depression", "anxiety", "bipolar", "schizophrenia", "adhd", "ocd", "hiv", "aids", "hep c",
    "hepatitis", "hepatitis c", "std", "sti", "nicu", "icu", "er", "medicaid", "medicare", "snap", "wic", "tanf",
    "ebt", "food stamps", "section 8", "section eight", "social security", "disability", "unemployment",
    "foster care", "child protective services", "community college", "high school", "middle school", "detox",
    "rehab", "halfway house", "shelter", "strip club", "track", "the track", "the life", "the game", "johns",
    "vice", "pimp", "craigslist", "backpage", "facebook", "instagram", "snapchat", "tiktok", "twitter",
    "youtube", "google", "onlyfans", "big book", "the big book", "12 steps", "twelve steps", "the 12 steps",
    "steps", "serenity prayer", "scripture", "psalm", "psalms", "gospel",
    # benefits, services and diagnoses by their names in the UK, Canada, Australia and New Zealand
    "universal credit", "pip", "esa", "jsa", "dla", "housing benefit", "child benefit", "tax credits", "council tax",
    "jobcentre", "job centre", "a&e", "gp", "odsp", "ontario works", "aish", "income assistance",
    "disability assistance", "ei", "cpp", "oas", "ndis", "centrelink", "jobseeker", "winz", "eupd", "bpd", "cptsd",
    "c-ptsd", "fasd", "asd", "gad", "mdd", "tbi",
    # platforms she is paid, advertised or messaged through (their handles are the identifiers)
    "cash app", "cashapp", "venmo", "paypal", "zelle", "whatsapp", "telegram", "kik", "grindr", "skip the games",
    "megapersonals", "listcrawler", "discord", "reddit", "messenger", "plenty of fish",
}  # fmt: skip
# Books of the Bible and the words of a reference: one followed by a chapter ("John 3:16", "Psalm 23",
# "Step 9") is a reference, never a name.
BIBLE_BOOKS = {
    "genesis", "exodus", "leviticus", "numbers", "deuteronomy", "joshua", "judges", "ruth", "samuel", "kings",
    "chronicles", "ezra", "nehemiah", "esther", "job", "psalm", "psalms", "proverbs", "ecclesiastes", "isaiah",
    "jeremiah", "lamentations", "ezekiel", "daniel", "hosea", "joel", "amos", "obadiah", "jonah", "micah", "nahum",
    "habakkuk", "zephaniah", "haggai", "zechariah", "malachi", "matthew", "mark", "luke", "john", "acts",
    "romans", "corinthians", "galatians", "ephesians", "philippians", "colossians", "thessalonians", "timothy",
    "titus", "philemon", "hebrews", "james", "peter", "jude", "revelation", "revelations",
    "step", "chapter", "section", "verse",
}  # fmt: skip
# Nations, peoples, languages and faiths, as adjectives or nouns: "We speak Creole", "I'm Cree", "a Welsh
# nurse", "Travellers": no name when only a name list, a capital or the model proposes one (a cue still may:
# "they called her Cherokee").
PEOPLES = {
    "afghan", "albanian", "algerian", "angolan", "argentine", "argentinian", "armenian", "australian", "austrian",
    "bangladeshi", "belgian", "belizean", "bolivian", "bosnian", "brazilian", "british", "bulgarian", "burmese",
    "cambodian", "cameroonian", "canadian", "chilean", "chinese", "colombian", "congolese", "cuban", "czech",
    "danish", "dominican", "dutch", "ecuadorian", "egyptian", "eritrean", "estonian", "ethiopian", "filipino",
    "filipina", "finnish", "french", "german", "ghanaian", "greek", "guatemalan", "guyanese", "haitian", "honduran",
    "hungarian", "indian", "indonesian", "iranian", "iraqi", "irish", "israeli", "italian", "jamaican", "japanese",
    "jordanian", "kenyan", "korean", "kurdish", "laotian", "latvian", "lebanese", "liberian", "libyan", "lithuanian",
    "malaysian", "moroccan", "nepali", "nepalese", "nicaraguan", "nigerian", "norwegian", "pakistani",
    "palestinian", "panamanian", "paraguayan", "peruvian", "polish", "portuguese", "romanian", "russian",
    "rwandan", "salvadoran", "salvadorean", "samoan", "saudi", "scottish", "scots", "senegalese", "serbian",
    "slovak", "somali", "sudanese", "swedish", "swiss", "syrian", "taiwanese", "thai", "tongan", "trinidadian",
    "tunisian", "turkish", "ugandan", "ukrainian", "uruguayan", "venezuelan", "vietnamese", "welsh", "yemeni",
    "zimbabwean", "fijian", "maori", "pakeha", "aboriginal", "indigenous", "creole", "kreyol", "cajun", "latino",
    "latina", "latinx", "hispanic", "asian", "african", "european", "caribbean", "arab", "arabic", "hmong",
    "punjabi", "hindi", "urdu", "tagalog", "swahili", "yoruba", "igbo", "hausa", "amharic", "tigrinya", "gaelic",
    "cree", "ojibwe", "ojibway", "anishinaabe", "oji-cree", "dene", "metis", "inuit", "mohawk", "haudenosaunee",
    "mi'kmaq", "navajo", "lakota", "sioux", "cherokee", "choctaw", "chickasaw", "seminole", "hopi", "zuni",
    "blackfoot", "salish", "tlingit", "yupik", "romani", "roma", "traveller", "travellers", "gypsy", "pavee",
    "hindu", "sikh", "buddhist", "mormon", "amish", "mennonite", "pentecostal", "lutheran", "methodist",
    "presbyterian", "evangelical", "orthodox", "anglican", "quaker",
    # peoples of the North, the Pacific, Acadia, the Cape Verde islands and Puerto Rico, and faiths, none a town's
    # name: "I'm Iñupiaq", "we speak Chiac", "my mom only speaks Kriolu", "I'm Boricua", "a Protestant family"
    "inupiaq", "inupiat", "inuk", "inuvialuit", "cupik", "aleut", "alutiiq", "athabascan", "athabaskan", "gwich'in",
    "haida", "tsimshian", "innu", "maliseet", "wolastoqiyik", "passamaquoddy", "mikmaq", "mi'kmaw", "acadian",
    "chiac", "brayon", "boricua", "nuyorican", "kriolu", "crioulo", "verdean", "chamorro", "chuukese", "marshallese",
    "pohnpeian", "palauan", "micronesian", "blackfeet", "chippewa", "miwok", "mohave", "muscogee", "odawa", "paiute",
    "potawatomi", "yurok", "karuk", "pomo", "wampanoag", "lumbee", "hunkpapa", "sicangu", "assiniboine", "nakota",
    "yaqui", "havasupai", "chemehuevi", "protestant", "catholic", "muslim", "jewish",
}  # fmt: skip
# Phone carriers, mobile-money services and remittance firms: brands everyone in a country uses, no one's identifier
# ("sent it by gcash", "my vodacom line", "she pay me with m-pesa"), as "facebook" and "western union" are none.
HARD_NEGATIVES |= {
    "gcash", "paymaya", "mpesa", "m-pesa", "vodacom", "safaricom", "airtel", "digicel", "africell", "tigo", "mtn",
    "econet", "ecocash", "bkash", "nagad", "jazzcash", "easypaisa", "paytm", "moneygram", "tnm", "mpamba",
    "halopesa", "worldremit", "remitly", "lycamobile",
}  # fmt: skip
# Words that are hard negatives only as part of one ("Higher Power"): alone, a span of them is no name.
NEGATIVE_PARTS = {w for phrase in HARD_NEGATIVES if " " in phrase for w in phrase.split()} - {"new", "step"}
HARD_NEGATIVES |= RESEARCH_WORDS  # after NEGATIVE_PARTS: "foster" alone may be a surname
# Words of speech, slang, services and drugs that the system dictionary lacks and that are no names: in
# capital-less text a word the dictionary does not know is proposed, these excepted.
INFORMAL = {
    "outta", "lotta", "yall", "aint", "cuz", "tryna", "finna", "hella", "bae", "lol", "nah", "mhm", "hmm", "uhh",
    "umm", "ok", "meth", "meds", "juvie", "homegirl", "homegirls", "homeboy", "homeboys", "homie", "homies",
    "hotline", "xanax", "percs", "perc", "molly", "wifey", "wifi", "sponsee", "ptsd", "emdr", "ged", "cps", "dcs",
    "dni", "cpf", "curp", "cuit", "cuil", "ruc", "nie", "dpi",
    "ssi", "ssdi", "ebt", "wic", "medicaid", "medicare", "narcan", "suboxone", "vivitrol", "gangbanger", "bestie",
    "stepkids", "grandbaby", "grandbabies", "daycare", "auntie", "cuzzo", "bro", "gonna", "wanna", "gotta",
    "kinda", "sorta", "dunno", "lemme", "gimme", "cause", "til", "till", "ima", "imma", "y'all", "uh-huh",
    "mm-hmm", "fentanyl", "oxy", "oxys", "coke", "ecstasy", "lyft", "uber", "ankle", "oh", "ya", "yah", "yea",
    "whoa", "wow", "huh", "dope", "blunt", "blunts", "vape", "texting", "texted", "selfie", "selfies", "hookup",
    "hookups", "babydaddy", "babymama", "grandmama", "granddad", "stepmama", "stepbrother",
    "stepsister", "teenaged", "preteen", "preteens", "adhd", "ocd", "gbv", "dv", "lgbt", "lgbtq", "hiv",
    "std", "stds", "sti", "stis", "ob", "gyn", "er", "icu", "ssn", "id", "ids", "tv", "dvd", "atm", "gps",
    # Scots and northern English speech: "i'm originally fae kirkcaldy", "went tae glasgow wi my pal"
    "fae", "frae", "tae", "intae", "ontae", "wi", "oot", "hame", "aboot", "doon", "wee", "aye", "naw", "nae", "youse",
    "lassie", "laddie", "bairn", "bairns", "weans", "wean", "innit", "ain't",
    # New Zealand and Canadian everyday words: "the whole whanau came", "back on the rez", "a feed of kai"
    "rez", "kai", "marae", "iwi", "hapu", "tangi", "kaupapa", "tikanga", "munted", "wharenui",
    # British, Irish and Australian everyday words: "the Eisteddfod on the telly", "the garda that came in"
    "telly", "garda", "gardai", "gardaí", "mum", "mums", "arvo", "servo", "uni", "chipper", "chippy", "knackered",
    "skint", "brekkie", "doona", "ute", "eejit", "craic", "bevvy", "bevvies", "grotty", "dodgy", "fella", "yoke",
    "centrelink", "lolly", "lollies", "biccies", "sarnie", "takeaway", "takeaways",
}  # fmt: skip
# Words of the speech and languages participants mix into English, none of them a name, place or surname in the
# detector's lists: proposed by no layer, whatever the model or the head says of them. Kept apart from INFORMAL,
# which also vetoes a whole name holding one ("Rafiki House" stays a name: its nouns are not here).
SPOKEN_AMONG_ENGLISH = {
    # Geordie and north-east English speech: "howay man", "ah divvent knaa", "gan yem, hinny"
    "howay", "haway", "hadaway", "divvent", "dinnet", "dinna", "hinny", "nowt", "owt", "mebbes", "mebbe", "clarty",
    "hacky", "netty", "gadgie", "radgie", "wor", "hoy", "ganin", "gannin", "kets", "plodge", "clag", "yem", "hyem",
    "knaa", "knaw",
    # English-lexified creoles and pidgins of West Africa and the Caribbean (Krio, Naija, Jamaican): "wetin dey
    # happen", "di pikin dem", "abeg", "mi likkle bredda"
    "wetin", "pikin", "pikney", "pickney", "abeg", "dey", "padi", "oga", "sef", "wahala", "unu", "unno", "nyam",
    "bwoy", "gyal", "likkle", "yuh", "deh", "pon", "inna", "weh", "tek", "seh", "wah", "bredda", "bredren",
    "sistren", "whappen", "tief", "kobo", "sah", "yardie", "ooman", "ehn", "shey", "biko", "jare", "ehen", "dem",
    # Swahili said among English ("jina langu ni", "my bibi", "no pesa"); words that are names left out
    "jina", "langu", "lako", "yangu", "yako", "yake", "wewe", "yeye", "sisi", "ninyi", "hapana", "ndiyo", "ndio",
    "wazungu", "pesa", "ugali", "lakini", "bibi", "mtoto", "watoto", "dukani", "kesho", "asubuhi", "usiku",
    # Saint Lucian and other Antillean Kwéyòl ("mwen ka palé kwéyòl"), and Tagalog ("ako", "hindi po")
    "mwen", "ou", "nou", "zot", "ka", "ki", "sé", "bonjou", "mèsi", "konsa", "palé", "kouman", "kwéyòl", "kweyol",
    "ako", "ikaw", "tayo", "sila", "hindi", "opo", "naman", "kasi", "pero", "diba", "sige", "sino", "saan", "bakit",
    "paano", "wala", "meron",
    # currencies said in the plural, in no English dictionary ("paid in bolivianos", "two hundred quetzales")
    "bolivianos", "guaranies", "guaraníes", "bolivares", "bolívares", "colones", "quetzales", "lempiras", "cordobas",
    "córdobas", "balboas", "reais", "cedis", "nairas", "kwachas", "rupiahs", "ringgits", "dirhams", "riyals",
    "hryvnias", "zlotys", "forints", "korunas", "tenges", "somonis", "manats",
}  # fmt: skip
# Common nouns for where someone was that are no names: "months in detox", "went to rehab", "at gunpoint".
GENERIC_PLACES = {
    "detox", "rehab", "juvie", "custody", "solitary", "lockdown", "isolation", "placement", "foster", "hospice",
    "lockup", "jail", "prison", "treatment", "recovery", "therapy", "counseling", "shelter", "motel", "hotel",
    "gunpoint", "dusk", "dawn", "midnight", "noon", "random", "stake", "bay", "odds", "shambles", "handcuffs",
    "limbo", "jeopardy", "bondage", "denial", "withdrawal", "probation", "parole", "court", "church", "school",
    "work", "home", "bed", "night", "nights", "weekends", "first", "least", "most", "best", "worst", "times",
    "once", "length", "large", "ease", "peace", "risk", "heart", "bedtime", "lunchtime", "daybreak", "sunrise",
    "sunset", "twilight", "curfew", "intake", "orientation", "graduation", "sentencing", "arraignment",
}  # fmt: skip
# Titles say who someone is to the speaker, not who they are: never part of a redacted name.
TITLES = {"judge", "detective", "pastor", "sergeant", "sgt", "doctor", "reverend", "rev", "deputy", "coach", "nurse",
          "chaplain", "father", "sister", "brother", "officer", "agent", "professor", "miss", "mr", "mrs", "ms", "dr",
          "aunt", "auntie", "uncle", "grandma", "grandpa", "eve"}  # fmt: skip
# Words said before a name for what someone is (a rank, an office, a respect, a bunk): outside the name's span, as the
# corpora mark it ("Judge [Serrano]", "Constable [Bird]", "Don [Efrain]", "DC [Gethin Prys]", "Garda [O'Sullivan]").
HONORIFICS = TITLES | {
    "mister", "madam", "madame", "don", "dona", "senor", "senora", "aunty", "constable", "garda", "trooper",
    "sheriff", "inspector", "lieutenant", "lt", "corporal", "cpl", "captain", "capt", "dc", "pc", "ds", "di",
    "superintendent", "warden", "elder", "bishop", "imam", "rabbi", "deacon", "prophet", "apostle", "minister",
    "bunkie", "bunky", "celly", "cellie", "counselor", "counsellor", "principal", "attorney",
    "kuya", "ate", "manang", "manong", "tita", "tito",  # Filipino titles of respect
}  # fmt: skip
# Names that are also everyday words: only a cue phrase or a known-identifier list makes them names.
WORD_NAMES = {"faith", "hope", "grace", "will", "joy", "rose", "mark", "bill", "art", "pat", "sue", "dawn", "may",
              "june", "april", "summer", "autumn", "ruby", "pearl", "amber", "crystal", "destiny", "precious",
              "angel", "candy", "honey", "sugar", "star", "cherry", "jade", "ivy", "lily", "daisy", "penny",
              "frank", "gene", "guy", "rich", "sky", "river", "chance", "christian", "king", "major", "eve",
              "mike", "sunny", "hunter", "iris", "ray", "rod", "drew", "jack", "nick", "pepper", "misty",
              "stormy", "brandy", "ginger", "cookie", "peaches", "diamond", "passion", "unique",
              "treasure", "charity", "mercy", "justice", "liberty", "journey", "honor", "heaven", "trinity",
              "serenity", "harmony", "genesis", "essence", "patience", "blessing", "miracle", "royal", "legend",
              "kingdom", "infinity", "lyric", "melody", "haven", "promise", "prudence", "felicity", "honesty",
              "princess", "heavenly", "story", "praise", "glory", "victory", "remy", "sincere", "junior", "boo",
              "pumpkin", "cinnamon", "peanut", "lucky", "bubbles", "sunshine", "cupcake", "butterfly",
              "coco", "caramel", "mocha", "champagne", "sapphire", "onyx", "opal", "emerald", "raven",
              "shorty",
              # given names in faker's tw_GH, en_NG, en_KE and zu_ZA lists (MIT) that are everyday English words
              "comfort", "duke"}  # fmt: skip
# Words of the street trade and of forms that are part of names ("New Life Fellowship", "Social Security") but
# never one alone, whatever their case: "in the Life", "the Game", "worked the Track", "my Social is ...".
# The particles of a surname ("van der berg", "de la rosa", "bin laden"): a name's only between its words.
NAME_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "dos", "das", "bin",
                  "ibn", "al", "el", "abu", "ter", "ten"}  # fmt: skip
ALONE_NEGATIVES = {"life", "game", "track", "blade", "stroll", "valley", "social", "people", "fourth", "el"}
# Holidays written with capitals that a capital or the model takes for a name (the numbers layer's dates keep
# them: "born on the fourth of july").
NAMED_DAYS = {"fourth of july", "july fourth", "memorial day", "labor day", "new year's", "new year's eve",
              "christmas eve", "cinco de mayo", "mardi gras", "st patrick's day", "juneteenth",
              "independence day", "groundhog day", "valentine's day", "mother's day", "father's day",
              "black friday", "veterans day", "good friday", "palm sunday", "easter sunday", "new year's day",
              "christmas day", "boxing day", "bonfire night", "super bowl sunday", "burns night",
              "guy fawkes night", "remembrance sunday"}  # fmt: skip
# The one list of words for the people in her life. Children and siblings (what "my daughter journey is four"
# reads), then every person word: one right before a name is a cue for it ("my best friend georgia", not a town
# "in friend, nebraska"; "my cousin shack keel" is a known name misheard).
CHILD_WORDS = {"daughter", "son", "girl", "boy", "baby", "kid", "child", "sister", "brother", "niece", "nephew",
               "cousin", "grandson", "granddaughter", "stepdaughter", "stepson", "twin"}  # fmt: skip
PERSON_WORDS = CHILD_WORDS | {
    "friend", "aunt", "auntie", "uncle", "homegirl", "mom", "mother", "dad", "father", "wife", "husband",
    "girlfriend", "boyfriend", "grandma", "grandpa", "pimp", "sponsor", "roommate",
}  # fmt: skip
# Parts of the body: their possessive makes an idiom ("at arm's length", "a hair's breadth"), never a name's; and
# what a name is written on ("Tamika on my neck", a tattoo), never her surname heard as words.
BODY_PARTS = {
    "arm", "arms", "hand", "hands", "head", "heart", "foot", "feet", "leg", "legs", "eye", "eyes", "hair", "neck",
    "shoulder", "finger", "knee", "skin", "mouth", "nose", "ear", "tooth", "teeth", "lip", "face", "stomach", "chest",
    "throat", "toe", "thumb", "wrist", "hip", "bone", "back", "body", "brain",
}  # fmt: skip
# Months, US states and countries that are given names: after "named", "her name is" or a kin word a name (QA C19:
# "my daughter's name is carolina", "my sister montana"; C8: "my homegirl china"), elsewhere a month, a state or a
# country (a hard negative).
NAME_WORDS = {"april", "may", "june", "august", "dakota", "carolina", "virginia", "georgia", "montana", "nevada",
              "indiana", "china", "asia", "india", "kenya", "egypt", "jamaica", "israel"}  # fmt: skip
# Words for a part of a state or a country, never a town before it: "eastern kentucky", "upstate new york".
COMPASS_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upstate",
                 "downstate", "rural", "coastal", "northeast", "northwest", "southeast", "southwest", "midwest",
                 "north-east", "north-west", "south-east", "south-west", "far", "deep", "mid"}  # fmt: skip
# Large US cities: geography smaller than a state is an identifier under HIPAA Safe Harbor.
CITIES = {
    "phoenix", "tucson", "mesa", "chandler", "glendale", "scottsdale", "gilbert", "tempe", "peoria", "yuma",
    "flagstaff", "prescott", "los angeles", "san diego", "san francisco", "san jose", "sacramento", "fresno",
    "oakland", "long beach", "bakersfield", "anaheim", "riverside", "stockton", "las vegas", "reno", "henderson",
    "denver", "aurora", "colorado springs", "albuquerque", "santa fe", "el paso", "houston", "dallas", "austin",
    "san antonio", "fort worth", "arlington", "corpus christi", "lubbock", "chicago", "detroit", "milwaukee",
    "minneapolis", "st paul", "st louis", "kansas city", "omaha", "oklahoma city", "tulsa", "wichita",
    "indianapolis", "columbus", "cleveland", "cincinnati", "toledo", "louisville", "nashville", "memphis",
    "atlanta", "miami", "orlando", "tampa", "jacksonville", "charlotte", "raleigh", "baltimore", "philadelphia",
    "pittsburgh", "boston", "newark", "brooklyn", "bronx", "queens", "harlem", "manhattan", "seattle",
    "portland", "spokane", "salt lake city", "boise", "honolulu", "anchorage", "new orleans", "birmingham",
    "richmond", "norfolk", "buffalo", "rochester", "hartford", "providence", "compton", "camden",
    "flint", "gary", "tijuana", "juarez", "nogales", "hermosillo",
}  # fmt: skip
# Organisations that turn up in these interviews by name; with a city they narrow where someone was.
ORGANISATIONS = {
    "salvation army", "catholic charities", "st vincent de paul", "st. vincent de paul", "goodwill",
    "planned parenthood", "ymca", "ywca", "walmart", "wal-mart", "target", "fry's", "circle k",
    "quiktrip", "qt", "flying j", "love's", "pilot", "greyhound", "denny's", "ihop",
    "mcdonald's", "burger king", "taco bell", "super 8", "red roof inn", "days inn", "budget inn",
    "econo lodge", "travelodge", "dollar general", "family dollar", "walgreens", "cvs", "backpage",
    "craigslist", "tinder", "instagram", "facebook", "snapchat", "onlyfans", "safeway", "kroger", "albertsons",
    "save mart", "food 4 less", "winco", "costco", "sam's club", "home depot", "7-eleven", "seven eleven",
    "chevron", "arco", "valero", "waffle house", "jack in the box", "carl's jr", "in-n-out", "wendy's",
    "starbucks", "dollar tree", "rite aid", "amtrak", "motel 6", "la quinta", "best western", "holiday inn",
    "comfort inn", "extended stay", "petro", "ta travel center", "kmart", "big lots", "autozone", "motel six",
    "super eight", "studio six", "food four less",
}  # fmt: skip
# Police and border agencies by their initials: with the rest of what she said they narrow where and when (QA's
# corpora mark them as organisations, as they do police forces). The ones that are words only in capitals.
AGENCIES = {"fbi", "dea", "atf", "hsi", "uscis", "cbp", "rcmp", "cbsa", "opp", "nca", "dhs", "ncis", "usms"}
AGENCY_WORDS = {"ICE", "INS"}
STOPWORDS = set(
    """a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves like just really kind sort
gonna wanna got get gets go went gone come came know knew think thought said say says told tell because also
even ever still back never always again well oh yeah yes no okay um uh so very much many one two three four
five six seven eight nine ten first last next little big good bad old new every anytime somebody anybody
everybody nobody someone anyone everyone something anything nothing everything later today tomorrow tonight
sometimes maybe probably actually here there home work out right""".split()
)


@functools.cache
def dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(ordinary lowercase words, capitalised-only words) from the system dictionary."""
    try:
        words = DICTIONARY.read_text(encoding="utf-8", errors="ignore").split()
    except OSError:
        # Without it every word would look like a name: refuse rather than flood the reviewer.
        raise FieldvaultError(
            f"{DICTIONARY} is missing; install Debian's wamerican package (scripts/install.sh does)"
        ) from None
    lower = frozenset(w for w in words if w.islower() and "'" not in w)
    proper = frozenset(w.lower() for w in words if w[:1].isupper() and "'" not in w) - lower
    return lower, proper


NAME_LOCALES = ("en_US", "en_GB", "en_IE", "en_NZ", "es_MX", "es_ES", "pt_BR", "fr_FR")


@functools.cache
def first_names() -> frozenset[str]:
    """First names of the English- and Spanish-speaking locales faker knows, with their nicknames."""
    import importlib

    from nicknames import NickNamer

    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_female", "first_names_male"):
            names |= {n.lower() for n in getattr(provider, attribute, ())}
    namer = NickNamer()
    for name in list(names):
        names |= {n.lower() for n in namer.nicknames_of(name)}
    return frozenset(n for n in names if len(n) > 2)


# Provinces, states and nations outside the US: like US states, too large to identify anyone, and a cue
# for the town before them ("hope, british columbia").
REGIONS = {
    "alberta", "british columbia", "manitoba", "new brunswick", "newfoundland", "labrador", "nova scotia",
    "ontario", "prince edward island", "quebec", "saskatchewan", "yukon", "nunavut", "northwest territories",
    "new south wales", "queensland", "south australia", "tasmania", "victoria", "western australia",
    "northern territory", "england", "scotland", "wales", "northern ireland", "ulster", "munster", "leinster",
    "connacht",
    # Mexico's states that no town in the lists shares (many share their capital's name: "Oaxaca", "Puebla")
    "baja california", "baja california sur", "chiapas", "coahuila", "jalisco", "michoacan", "morelos", "nayarit",
    "nuevo leon", "queretaro", "quintana roo", "sinaloa", "tabasco", "tamaulipas", "yucatan",
}  # fmt: skip
PLACES = Path(__file__).resolve().parent / "data" / "places.tsv.gz"
# The shipped list has 47,583 towns and 252 countries: far fewer means a truncated or substituted file.
MIN_TOWNS, MIN_COUNTRIES = 10_000, 100


def _gazetteer_rows() -> tuple[tuple[str, ...], ...]:
    try:
        with gzip.open(PLACES, "rt", encoding="ascii") as lines:
            return tuple(tuple(line.rstrip("\n").split("\t")) for line in lines if not line.startswith("#"))
    except (OSError, EOFError, UnicodeDecodeError):
        return ()


# Countries by the names people still use that GeoNames' list does not carry: a former name ("burma", "swaziland",
# "zaire"), a short one ("congo", "korea", "britain"). Left out where the name is a town or a person's too
# ("macedonia", "palestine", "holland", "trinidad").
COUNTRY_OTHER_NAMES = frozenset({
    "burma", "swaziland", "zaire", "congo", "drc", "east timor", "czech republic", "czechoslovakia", "yugoslavia",
    "soviet union", "ussr", "rhodesia", "tanganyika", "cape verde", "turkiye", "britain", "great britain",
    "the gambia", "korea", "viet nam",
})  # fmt: skip


@functools.cache
def gazetteer() -> tuple[dict[str, int], frozenset[str]]:
    """(town name -> its largest population, country names), lowercased: GeoNames' populated places of 500
    people or more where English is an official language or the language of a Commonwealth member's courts and
    schools, Mexican towns of 15,000 or more and cities of 100,000 anywhere (CC-BY-4.0; built by
    scripts/build_places.py)."""
    try:
        rows = _gazetteer_rows()
        towns = {row[1]: int(row[2]) for row in rows if row[0] == "town"}
        countries = frozenset(row[1] for row in rows if row[0] == "country") | COUNTRY_OTHER_NAMES
    except (IndexError, ValueError):
        towns, countries = {}, frozenset()
    if len(towns) < MIN_TOWNS or len(countries) < MIN_COUNTRIES:
        # Without it towns that are everyday words ("hope", "slough") would pass: refuse, as for the model.
        raise FieldvaultError(
            f"the place-name list {PLACES} is missing, damaged or too short ({len(towns)} towns); reinstall "
            f"fieldvault (`pip install .` or scripts/install.sh), then try again"
        )
    return towns, countries


# The countries the place rules were built and tuned on: their towns are proposed wherever they are written (towns())
# and are what the learned head was trained to know as places (head_places()). Of the gazetteer's other towns (the
# rest of the English-speaking world, cities of 100,000 anywhere) those of one word under 100,000 people are places
# only where English expects one (places()): "came to the tangi" (a Maori funeral; a town in Pakistan) stays a word.
CORE_COUNTRIES = frozenset({"US", "CA", "GB", "IE", "AU", "NZ"})


@functools.cache
def core_towns() -> frozenset[str]:
    """The gazetteer's towns as it held them before it took in the rest of the English-speaking world: every town
    of the core countries, Mexican towns of 15,000 and cities of a million."""
    gazetteer()  # refuses a damaged list
    found = set()
    for row in _gazetteer_rows():
        if row[0] == "town":
            countries = set(row[3].split(","))
            if countries & CORE_COUNTRIES or "MX" in countries or int(row[2]) >= 1_000_000:
                found.add(row[1])
    return frozenset(found)


def population(place: str) -> int:
    """How many live in the largest town of that name (0: not in GeoNames' list, e.g. a ZIP-code-only town)."""
    return gazetteer()[0].get(place, 0)


def _not_towns() -> set[str]:
    """Names that are countries, states or provinces before they are towns ("canada", "ontario")."""
    return set(gazetteer()[1]) | US_STATES | (REGIONS - {"victoria"})


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.cache
def towns() -> frozenset[str]:
    """City and town names no everyday word shares, lowercased: every US place with a ZIP code (package
    `zipcodes`, MIT; its data is USPS and GeoNames, CC-BY-4.0) and the gazetteer's. Geography smaller than
    a state is a Safe Harbor identifier. A one-word name that is also an everyday word ("Mission", "Hope")
    or a first name is left out, and so is a longer one made only of everyday words ("Long Beach" is in
    CITIES), or, outside the ZIP list, of everyday words and names ("George Green"): place slots judge those."""
    import zipcodes

    # The gazetteer's names are plain ASCII: an everyday word with an accent ("café") is the same word ("Cafe", PH).
    ordinary = dictionary()[0] | {_plain(w) for w in dictionary()[0] if not w.isascii()}
    people = first_names()
    zip_names = {" ".join(d["city"].lower().replace(".", "").split()) for d in zipcodes.list_all()}
    kept = set()
    # Elsewhere, a name of several words ("port of spain") or of a city of 100,000 is rarely an ordinary word in any
    # language; a small town's one word often is ("tangi", a Maori funeral and a town in Pakistan).
    abroad = {n for n, people in gazetteer()[0].items() if " " in n or people >= 100_000}
    for name in zip_names | core_towns() | abroad:
        words = name.split()
        if len(words) == 1 and (name in ordinary or name in people or name in STOPWORDS or name in HARD_NEGATIVES):
            continue
        if len(words) == 1 and everyday_form(name):
            continue  # "centre", "harbour": a British spelling of an everyday word
        if all(w in ordinary or w in STOPWORDS for w in words):
            continue
        if name not in zip_names and all(w in ordinary or w in STOPWORDS or w in people for w in words):
            continue
        kept.add(name)
    return frozenset((kept | CITIES) - _not_towns())


@functools.cache
def places() -> frozenset[str]:
    """Every town name both lists know, lowercased, everyday words included ("garland", "hope", "slough"):
    only a place slot makes one of those a place."""
    return frozenset(named_towns() - _not_towns())


def town_and_first_name(word: str) -> bool:
    """Whether one word names a town and a person alike ("modesto", "lodi", "jackson"; a big city given to boys,
    "austin", "dallas"): only the words around it tell which it is."""
    if not word or " " in word or word not in places():
        return False
    return word in first_names() or (word in CITIES and word in _us_given_names())


@functools.cache
def _us_given_names() -> frozenset[str]:
    """Given names of US births (faker's "en" list, wider than first_names()' locales): the big cities of CITIES,
    which towns() keeps whatever else they name, are given names there too ("Dallas", "Houston"; qa25 QA17)."""
    from faker.providers.person.en import Provider

    return frozenset(n.lower() for n in (*Provider.first_names_male, *Provider.first_names_female))


@functools.cache
def head_places() -> frozenset[str]:
    """places() as the learned head was trained on it (core_towns()): a feature must mean what it meant in training."""
    import zipcodes

    zip_names = {" ".join(d["city"].lower().replace(".", "").split()) for d in zipcodes.list_all()}
    return frozenset((zip_names | core_towns() | CITIES) - _not_towns())


@functools.cache
def named_towns() -> frozenset[str]:
    """Every town name both lists know, countries' and states' names included ("jamaica" in Queens, "lebanon" in
    Ohio): only a town's own slot (before its state) makes one of those a town."""
    import zipcodes

    zip_names = {" ".join(d["city"].lower().replace(".", "").split()) for d in zipcodes.list_all()}
    return frozenset(zip_names | set(gazetteer()[0]) | CITIES)


# Languages, peoples, holidays and provinces by the thousand (ISO 639 names and ISO 3166-2 subdivisions of a state's
# size from Debian iso-codes, LGPL-2.1+; the `holidays` package's names, MIT), each that is also a person's or a
# place's name left out: built by scripts/build_peoples.py.
PEOPLES_LIST = Path(__file__).resolve().parent / "data" / "peoples.tsv"
# The shipped list keeps 7,289 languages, 413 holidays and 264 provinces: far fewer means a truncated or substituted
# file.
MIN_LANGUAGES, MIN_HOLIDAYS, MIN_PROVINCES = 5_000, 200, 200


@functools.cache
def _listed() -> dict[str, frozenset[str]]:
    """The kept names of peoples.tsv by kind ("language", "holiday", "province"), lowercase ASCII."""
    kinds: dict[str, set[str]] = {"language": set(), "holiday": set(), "province": set()}
    try:
        for line in PEOPLES_LIST.read_text(encoding="ascii").splitlines():
            kind, name, decision = line.split("\t") if not line.startswith("#") else ("#", "", "")
            if decision == "kept" and kind in kinds:
                kinds[kind].add(name)
    except (OSError, UnicodeDecodeError, ValueError):
        kinds = {"language": set(), "holiday": set(), "province": set()}
    if (
        len(kinds["language"]) < MIN_LANGUAGES
        or len(kinds["holiday"]) < MIN_HOLIDAYS
        or len(kinds["province"]) < MIN_PROVINCES
    ):
        # Without it every language or festival a capital or the model takes for a name goes to the reviewer.
        raise FieldvaultError(
            f"the list of languages and holidays {PEOPLES_LIST} is missing, damaged or too short; reinstall "
            f"fieldvault (`pip install .` or scripts/install.sh), then try again"
        )
    return {kind: frozenset(names) for kind, names in kinds.items()}


@functools.cache
def peoples() -> frozenset[str]:
    """PEOPLES and every language's or people's name of ISO 639 that is no person's or place's name ("khmer",
    "hidatsa", "lingala", "twi"): never a name alone."""
    return frozenset(PEOPLES) | _listed()["language"]


@functools.cache
def names_and_places() -> frozenset[str]:
    """Every first name, surname and town the lists know, lowercased."""
    return first_names() | last_names() | places()


@functools.cache
def festivals() -> frozenset[str]:
    """Every country's public holidays and festivals by their own names, no person's or place's name ("tihar",
    "pchum ben", "emancipation", "diwali"), with HOLIDAYS and NAMED_DAYS."""
    return _listed()["holiday"] | HOLIDAYS | NAMED_DAYS


@functools.cache
def festival_words() -> dict[str, frozenset[str]]:
    """Each word of a festival's name of two or more words, with those names ("ben" -> "pchum ben")."""
    found: dict[str, set[str]] = {}
    for name in festivals():
        if " " in name:
            for word in name.split():
                found.setdefault(word, set()).add(name)
    return {word: frozenset(names) for word, names in found.items()}


FREQUENCIES = "wordfreq"


def require_frequencies() -> None:
    """Without the frequency lists the rare-word layer would find nothing: refuse in one line instead."""
    import importlib.util

    if importlib.util.find_spec(FREQUENCIES) is None:
        raise FieldvaultError(
            f"the word-frequency lists (package {FREQUENCIES}) are missing; reinstall fieldvault "
            f"(`pip install .` or scripts/install.sh), then try again"
        )


# The packages whose data a layer reads: the surname and first-name lists, the ZIP-code towns.
DATA_PACKAGES = {"faker.providers.person.en_US": "faker", "zipcodes": "zipcodes"}


def require_data_packages() -> None:
    """Without faker's names or the ZIP-code towns a layer would quietly miss names: refuse in one line."""
    import importlib

    for module, package in DATA_PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            raise FieldvaultError(
                f"the name and place lists (package {package}) are missing or damaged; reinstall fieldvault "
                f"(`pip install .` or scripts/install.sh), then try again"
            ) from None


def word_frequency(word: str) -> float:
    """How common an English word is, on the Zipf scale (wordfreq: 6 is "the"-like, 3 once per million
    words, 0 unknown)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@functools.cache
def last_names() -> frozenset[str]:
    from faker.providers.person.en_US import Provider

    return frozenset(n.lower() for n in Provider.last_names)


def nicknames_of(name: str) -> set[str]:
    from nicknames import NickNamer

    namer = NickNamer()
    return {n.lower() for n in namer.nicknames_of(name) | namer.canonicals_of(name)}


def is_hard_negative(text: str) -> bool:
    """A span that must never be proposed, in any form: case, possessive, plural ("Tuesdays"), punctuation
    at its edges, part of a longer hard negative ("Power" of "Higher Power"), or a country or province."""
    words = [base_word(w.strip(".,;:!?\"'“”‘’()")).lower() for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return False
    phrase = " ".join(words)
    singulars = {phrase[:-1], phrase[:-2]} if phrase.endswith("s") else set()
    if phrase in HARD_NEGATIVES or bool(singulars & HARD_NEGATIVES) or phrase in NEGATIVE_PARTS:
        return True
    return is_region(phrase)


def is_region(phrase: str) -> bool:
    """A country, province or nation ("canada", "ontario", "romania"): too large to identify anyone. Not one
    that is also a first name ("Jordan", "Chad") or a city ("Victoria")."""
    return (phrase in gazetteer()[1] or phrase in REGIONS) and phrase not in first_names() and phrase != "victoria"


def provinces() -> frozenset[str]:
    """The states, provinces and regions of every country (ISO 3166-2, of a state's size) that are no town's or
    person's name: "johor", "selangor", "zulia", "tachira", "gauteng", "jawa barat"."""
    return _listed()["province"] - first_names()


# British spellings of words the American list has: "parlour", "centre", "organise", "licence".
_BRITISH = (("our", "or"), ("tre", "ter"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing"), ("ence", "ense"))
# The same spellings inside a longer word, and a doubled "l" before an ending.
_INSIDE_BRITISH = (("our", "or"), ("isa", "iza"), ("ise", "ize"), ("tre", "ter"), ("ll", "l"), ("ogue", "og"))


def gradable(word: str) -> bool:
    """A lowercase adjective that has degrees ("lucky", "sober", "free": the dictionary has "luckiest"), or one made
    with an adjective's ending ("homeless", "famous", "hopeful", "unbreakable"): a description, not a name."""
    ordinary = dictionary()[0]
    if word.endswith(("less", "ous", "ful", "able", "ible")) and word in ordinary:
        return True
    stems = {word, word + word[-1:]}
    if word.endswith("y"):
        stems.add(word[:-1] + "i")
    if word.endswith("e"):
        stems.add(word[:-1])
    return any(stem + "est" in ordinary for stem in stems)


def everyday_form(word: str) -> bool:
    """A lowercase word the dictionary has in another form: an -ed or -ing of one ("messaged", "waitressing") or a
    British spelling ("parlour"). Never a name or a town the lists know ("harding", "redding")."""
    ordinary = dictionary()[0]
    if word in first_names() or word in last_names():
        return False
    if any(word.endswith(uk) and word[: -len(uk)] + us in ordinary for uk, us in _BRITISH):
        return True  # "centre", "harbour": a town of that name is one only a place slot makes ("Centre, Alabama")
    if any(uk in word[:-1] and word.replace(uk, us, 1) in ordinary for uk, us in _INSIDE_BRITISH):
        return True  # "neighbourhood", "colourful", "organisation", "counselling", "travelled"
    if word in places():
        return False
    for ending in ("ing", "ed", "d"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) > 2:
            if stem in ordinary or stem + "e" in ordinary or (stem[-1] == stem[-2] and stem[:-1] in ordinary):
                return True
    for ending in ("ment", "ness", "less", "ful"):  # "deployment", "homelessness"
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) > 2 and (stem in ordinary or stem[:-1] + "y" in ordinary):
            return True
    scots = word.removesuffix("nae") if word.endswith("nae") else word.removesuffix("na")
    return scots != word and scots in ordinary | {"din", "wid", "hav"}  # Scots: "cannae", "wasnae", "couldna"


# Stems that name medicines in every country's generic names (USAN and INN stems): "sertraline", "prazosin",
# "quetiapine", "trazodone", "gabapentin", "naltrexone". A word no list knows as a name or a town.
_MEDICINE_STEMS = ("traline", "zosin", "apine", "idone", "azodone", "pram", "oxetine", "faxine", "triptyline",
                   "azepam", "azolam", "pentin", "trigine", "olol", "pril", "sartan", "statin", "profen", "cillin",
                   "mycin", "floxacin", "prazole", "tidine", "orphine", "rexone", "oxone", "onidine", "yzine",
                   "azine", "ipramine", "piprazole", "barbital", "ocaine", "etamol", "fenac", "formin", "glipizide",
                   "lamide", "thiazide", "semide", "codone", "morphone", "tapentadol", "amadol")  # fmt: skip


# Medicines by their brand: what a participant takes for her mind, her sleep, her pain, an addiction, HIV or birth
# control. Never a name; a brand that is also a word or a name ("Abilify" is not, "Lithium" is a town) stays off.
MEDICINE_BRANDS = {
    "wellbutrin", "zoloft", "prozac", "lexapro", "celexa", "paxil", "effexor", "cymbalta", "pristiq", "trintellix",
    "seroquel", "abilify", "risperdal", "zyprexa", "latuda", "geodon", "invega", "rexulti", "vraylar", "clozaril",
    "haldol", "lamictal", "depakote", "tegretol", "topamax", "keppra", "trileptal", "ambien", "lunesta", "ativan",
    "buspar", "remeron", "vistaril", "atarax", "neurontin", "lyrica", "subutex", "sublocade", "zubsolv", "brixadi",
    "chantix", "campral", "antabuse", "minipress", "catapres", "inderal", "strattera", "ritalin", "concerta",
    "vyvanse", "focalin", "truvada", "descovy", "biktarvy", "genvoya", "triumeq", "nexplanon", "mirena",
    "depo-provera", "tylenol", "advil", "motrin", "aleve", "benadryl", "nyquil", "dayquil", "zyrtec", "claritin",
    "ozempic", "wegovy", "lantus", "tramadol", "ultram", "dexedrine", "restoril", "halcion", "librium",
}  # fmt: skip


def medicine(word: str) -> bool:
    """A generic medicine's name by its stem ("sertraline", "prazosin") or a brand ("Wellbutrin"), not a name or a
    town the lists know."""
    if word in MEDICINE_BRANDS:
        return True
    return (
        len(word) >= 7
        and word.endswith(_MEDICINE_STEMS)
        and word not in first_names()
        and word not in last_names()
        and word not in places()
    )


def base_word(word: str) -> str:
    """The word without a possessive 's."""
    return word[:-2] if word.lower().endswith(("'s", "’s")) else word


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` with each letter and its accents as one plain letter ("José", an NFD "José" and a full-width
    "Ｊｏｓé" all read "Jose"), and where each folded character starts in ``text`` (one more at the end), so that
    every layer sees a name whatever its Unicode form and its spans map back onto the original text."""
    if text.isascii():
        return text, []
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.combining(char) and chars:
            continue  # an accent written apart (NFD) belongs to the letter before it
        chars.append(unicodedata.normalize("NFKD", char)[0])  # full-width "Ｄ" reads "D" (QA H3)
        starts.append(index)
    starts.append(len(text))
    return "".join(chars), starts
