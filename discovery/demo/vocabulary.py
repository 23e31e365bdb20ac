"""What the demo world is made of: interest topics (hashtags, words, colours, scenes) and the parts that
fictional names are put together from. Pure data; nothing here names a real person.

Surnames are invented from syllables and brand names from unrelated words, so generated people and
companies are fictional; first names are ordinary given names, which identify nobody on their own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scene:
    """A kind of picture within a topic, and the words a caption over it uses."""

    painter: str  # a key of discovery.demo.scenes.PAINTERS
    nouns: tuple[str, ...]  # what the picture shows, as a caption names it
    tags: tuple[str, ...] = ()  # hashtags naming what it shows; they come before the topic's own
    adjectives: tuple[str, ...] = ()  # the topic's when empty


def scenes(*rows: tuple) -> tuple[Scene, ...]:
    return tuple(Scene(*row) for row in rows)


@dataclass(frozen=True)
class Topic:
    name: str
    hashtags: tuple[str, ...]
    adjectives: tuple[str, ...]
    places: tuple[str, ...]  # "at the {place}"
    emoji: tuple[str, ...]
    palette: tuple[tuple[int, int, int], ...]  # background light, background deep, main, accent, dark
    scenes: tuple[Scene, ...]  # the kinds of picture posted on this topic
    appeal: float  # how much a post on this topic draws likes, all else equal (hidden model)
    brand_words: tuple[str, ...]  # how a brand in this topic ends its name: "Roasters", "Cycles"
    mono_share: float = 0.03  # share of black-and-white pictures


TOPICS: tuple[Topic, ...] = (
    Topic("climbing",
          ("climbing", "bouldering", "rockclimbing", "climbinglife", "boulder", "sendit", "crag",
           "climbingwall", "outdoorclimbing", "chalkup", "projecting", "climbergirl", "alpine", "multipitch"),
          ("crimpy", "steep", "sandy", "airy", "polished", "committing", "juggy", "spicy"),
          ("crag", "gym", "sea cliffs", "boulder field", "north face"),
          ("🧗", "🪨", "⛰️", "🔥"),
          ((238, 214, 186), (199, 120, 84), (176, 86, 52), (64, 168, 196), (58, 44, 40)),
          scenes(
              ("wall", ("boulder", "project", "crimp", "sloper", "overhang", "roof problem", "gym session"),
               ("bouldering", "climbingwall")),
              ("crag", ("route", "crag", "multipitch", "send", "top-out", "sport route"),
               ("rockclimbing", "outdoorclimbing", "multipitch")),
              ("boulder", ("boulder", "highball", "top-out", "problem", "send"), ("boulder", "bouldering")),
              ("mountains", ("approach", "alpine start", "ridge", "summit view"), ("alpine",))),
          1.00, ("Climbing", "Holds", "Vertical"), 0.05),
    Topic("coffee",
          ("coffee", "specialtycoffee", "latteart", "espresso", "coffeetime", "pourover", "flatwhite",
           "baristalife", "coffeelover", "v60", "coffeeshop", "homebarista", "butfirstcoffee", "cortado"),
          ("silky", "fruity", "bright", "chocolatey", "slow", "perfect", "strong", "cozy"),
          ("corner café", "roastery", "kitchen counter", "window seat", "market stall"),
          ("☕", "🤎", "✨", "🥐"),
          ((244, 228, 206), (150, 98, 64), (110, 66, 42), (214, 160, 92), (44, 30, 24)),
          scenes(
              ("cup", ("flat white", "cortado", "latte", "morning cup", "cappuccino"),
               ("flatwhite", "cortado", "coffeetime")),
              ("latte", ("latte art", "rosetta", "flat white", "oat latte"), ("latteart", "baristalife")),
              ("pourover", ("pour-over", "filter brew", "V60", "slow brew"), ("pourover", "v60")),
              ("beans", ("roast", "Ethiopian natural", "new beans", "fresh bag", "single origin"),
               ("specialtycoffee", "coffeelover")),
              ("espresso", ("espresso", "crema", "double shot", "ristretto"), ("espresso", "homebarista"))),
          1.05, ("Roasters", "Coffee Co.", "Espresso Bar"), 0.04),
    Topic("street photography",
          ("streetphotography", "streetphoto", "urbanphotography", "blackandwhite", "bnw", "streetlife",
           "candid", "citylife", "lightandshadow", "35mm", "streetshot", "everydayeverywhere",
           "shadowplay", "streetsnap"),
          ("quiet", "hurried", "golden", "grainy", "fleeting", "geometric", "rainy", "long"),
          ("old town", "metro station", "harbour front", "flower market", "main square"),
          ("📷", "🌆", "🖤", "🚶"),
          ((226, 222, 214), (92, 104, 122), (48, 56, 70), (232, 176, 72), (22, 24, 28)),
          scenes(
              ("street", ("shadow", "passer-by", "long shadow", "corner", "evening walk"),
               ("lightandshadow", "shadowplay")),
              ("crossing", ("crossing", "rush hour", "zebra crossing", "red coat"), ("streetlife", "citylife")),
              ("rain", ("umbrella", "reflection", "rainy night", "puddle"), ("streetphoto", "candid")),
              ("stairs", ("staircase", "silhouette", "steps", "light and shadow"), ("shadowplay", "streetshot"))),
          0.95, ("Camera Co.", "Optics", "Lens Works"), 0.40),
    Topic("cooking",
          ("homecooking", "foodie", "recipe", "cooking", "dinnerideas", "pasta", "homemade",
           "foodphotography", "eatwell", "vegetarian", "sundaylunch", "bakingday", "sourdough",
           "comfortfood"),
          ("crispy", "slow-cooked", "zesty", "golden", "fresh", "hearty", "simple", "smoky"),
          ("kitchen", "farmers market", "dinner table", "garden", "allotment"),
          ("🍝", "🍅", "🥘", "😋", "🌿"),
          ((250, 236, 214), (222, 120, 82), (204, 62, 48), (112, 160, 72), (60, 36, 30)),
          scenes(
              ("pasta", ("pasta", "spaghetti", "tagliatelle", "pasta night"), ("pasta", "homemade"),
               ("fresh", "simple", "garlicky", "homemade")),
              ("bread", ("sourdough", "loaf", "bake", "country loaf"), ("sourdough", "bakingday"),
               ("crusty", "golden", "open-crumb", "homemade")),
              ("shakshuka", ("shakshuka", "eggs", "brunch", "one-pan brunch"), ("comfortfood", "recipe"),
               ("spicy", "smoky", "hearty", "simple")),
              ("ramen", ("ramen", "noodle soup", "broth", "soup"), ("comfortfood", "homecooking"),
               ("slow-cooked", "rich", "hearty", "steaming")),
              ("dumplings", ("dumplings", "gyoza", "steamed buns"), ("homemade", "foodphotography"),
               ("steamed", "plump", "handmade", "fresh")),
              ("salad", ("tomato salad", "salad", "summer plate", "garden lunch"), ("eatwell", "vegetarian"),
               ("zesty", "fresh", "bright", "simple")),
              ("tart", ("tart", "fruit tart", "galette", "pie"), ("bakingday", "sundaylunch"),
               ("buttery", "golden", "flaky", "sweet"))),
          1.10, ("Kitchen", "Pantry", "Provisions"), 0.02),
    Topic("travel",
          ("travel", "wanderlust", "travelgram", "exploretheworld", "roadtrip", "islandlife", "beachday",
           "backpacking", "travelphotography", "seaside", "sunset", "weekendaway", "vanlife",
           "passportready"),
          ("endless", "salty", "warm", "wild", "turquoise", "hazy", "faraway", "golden"),
          ("coast", "harbour", "old town", "ferry deck", "lookout"),
          ("🌊", "✈️", "🌅", "🏝️", "🗺️"),
          ((252, 214, 170), (88, 170, 206), (30, 120, 170), (250, 140, 80), (28, 48, 74)),
          scenes(
              ("sea", ("sunset", "bay", "tide", "evening swim", "coastline"), ("sunset", "seaside")),
              ("lighthouse", ("lighthouse", "coastline", "cliff walk", "headland"), ("seaside", "exploretheworld")),
              ("harbour", ("old harbour", "fishing boats", "harbour", "boats"), ("travelgram", "weekendaway")),
              ("beach", ("beach", "island", "dune", "beach day", "palm"), ("beachday", "islandlife")),
              ("mountains", ("viewpoint", "valley", "mountain pass", "road trip"), ("roadtrip", "wanderlust"))),
          1.15, ("Travel", "Journeys", "Outfitters"), 0.03),
    Topic("dogs",
          ("dogsofinstagram", "dog", "puppy", "doglife", "dogstagram", "goodboy", "rescuedog",
           "adoptdontshop", "dogwalk", "puppylove", "instadog", "woof", "doggo", "dogmom"),
          ("fluffy", "sleepy", "muddy", "happy", "goofy", "tiny", "loyal", "soggy"),
          ("park", "beach", "woods", "sofa", "dog park"),
          ("🐶", "🐾", "🦴", "❤️"),
          ((246, 232, 212), (152, 196, 170), (196, 140, 84), (232, 92, 82), (52, 40, 34)),
          scenes(
              ("dog", ("good boy", "puppy", "new collar", "portrait", "best friend"), ("goodboy", "puppy")),
              ("fetch", ("zoomies", "fetch", "tennis ball", "beach run", "walk"), ("dogwalk", "doglife")),
              ("nap", ("nap", "sleepy head", "sofa time", "lazy Sunday"), ("doglife", "dogstagram"))),
          1.25, ("Dog Supply", "Pet Co.", "Paws"), 0.03),
    Topic("architecture",
          ("architecture", "archilovers", "modernism", "brutalism", "architecturephotography", "design",
           "minimalism", "concrete", "facade", "urbandesign", "symmetry", "buildings", "archdaily",
           "lookingup"),
          ("brutal", "clean", "symmetrical", "towering", "sunlit", "minimal", "curved", "monumental"),
          ("city centre", "university campus", "waterfront", "old quarter", "new district"),
          ("🏛️", "📐", "🏙️", "✨"),
          ((232, 226, 218), (170, 190, 206), (210, 120, 92), (244, 196, 86), (60, 64, 72)),
          scenes(
              ("facade", ("facade", "balconies", "windows", "block"), ("facade", "symmetry")),
              ("arches", ("arches", "colonnade", "courtyard", "arcade"), ("symmetry", "architecturephotography")),
              ("tower", ("tower", "skyline", "high-rise", "glass tower"), ("lookingup", "buildings")),
              ("stairwell", ("stairwell", "spiral staircase", "staircase", "atrium"), ("minimalism", "design")),
              ("brutalist", ("brutalist block", "concrete", "housing block", "library"), ("brutalism", "concrete"))),
          0.90, ("Studio", "Architects", "Design Co."), 0.15),
    Topic("running",
          ("running", "runnersofinstagram", "trailrunning", "marathon", "run", "runner", "morningrun",
           "longrun", "instarunners", "halfmarathon", "ultrarunning", "runhappy", "parkrun", "strava"),
          ("easy", "muddy", "fast", "hilly", "windy", "steady", "early", "sweaty"),
          ("river path", "trail", "track", "park loop", "hills"),
          ("🏃", "👟", "⏱️", "💪"),
          ((250, 220, 180), (236, 140, 96), (222, 74, 60), (70, 150, 110), (40, 44, 52)),
          scenes(
              ("road", ("long run", "tempo", "road run", "sunrise run"), ("running", "morningrun")),
              ("trail", ("trail", "hill repeats", "trail run", "ridge run"), ("trailrunning", "ultrarunning")),
              ("track", ("track session", "intervals", "400s", "10k"), ("runner", "run")),
              ("shoes", ("new shoes", "race day", "recovery run", "shoe rotation"), ("runhappy", "instarunners"))),
          0.85, ("Running Co.", "Stride", "Trail Supply"), 0.03),
    Topic("plants",
          ("plants", "houseplants", "plantsofinstagram", "urbanjungle", "monstera", "plantlover", "greenery",
           "plantshelf", "propagation", "botanical", "gardening", "succulents", "plantmom", "newleaf"),
          ("lush", "leafy", "thirsty", "tiny", "sprawling", "green", "happy", "variegated"),
          ("windowsill", "greenhouse", "balcony", "garden centre", "living room"),
          ("🌿", "🪴", "🌱", "💚"),
          ((236, 240, 226), (148, 182, 140), (56, 128, 80), (226, 128, 96), (30, 52, 40)),
          scenes(
              ("plant", ("new leaf", "repotting", "pothos", "calathea", "fiddle leaf"), ("houseplants", "newleaf")),
              ("monstera", ("monstera", "new leaf", "split leaf"), ("monstera", "urbanjungle")),
              ("shelf", ("shelf", "plant shelf", "windowsill", "collection"), ("plantshelf", "urbanjungle")),
              ("cuttings", ("cutting", "propagation", "roots", "jars"), ("propagation", "plantlover")),
              ("leaves", ("bloom", "garden", "flower", "borders"), ("gardening", "botanical"))),
          1.00, ("Plant Studio", "Greenhouse", "Botanicals"), 0.02),
    Topic("ceramics",
          ("ceramics", "pottery", "handmade", "wheelthrown", "stoneware", "clay", "potterylove", "glaze",
           "studiopottery", "mugs", "ceramicart", "kiln", "potteryaddict", "makersgonnamake"),
          ("speckled", "glossy", "earthy", "wonky", "matte", "handmade", "tactile", "soft"),
          ("studio", "wheel", "kiln room", "craft fair", "workbench"),
          ("🏺", "✋", "🤍", "🔥"),
          ((240, 232, 220), (196, 170, 146), (96, 140, 150), (204, 112, 76), (70, 56, 50)),
          scenes(
              ("vase", ("vase", "glaze test", "jug", "bud vase"), ("stoneware", "glaze")),
              ("wheel", ("throwing session", "centring", "clay", "cylinder"), ("wheelthrown", "clay")),
              ("mugs", ("mug", "mugs", "kiln opening", "glaze test"), ("mugs", "kiln")),
              ("bowls", ("bowl", "bowls", "stack", "plates"), ("handmade", "studiopottery"))),
          0.95, ("Clayworks", "Pottery Supply", "Kiln Co."), 0.05),
    Topic("cycling",
          ("cycling", "bikelife", "roadcycling", "gravelbike", "cyclinglife", "outsideisfree", "bikepacking",
           "cyclingphotos", "mtb", "ridelocal", "bikeride", "velo", "fixedgear", "commute"),
          ("dusty", "fast", "rolling", "brutal", "smooth", "windy", "epic", "quiet"),
          ("mountain pass", "coast road", "gravel track", "velodrome", "canal path"),
          ("🚴", "🚲", "⛰️", "☀️"),
          ((244, 226, 196), (110, 170, 196), (236, 168, 48), (210, 62, 70), (34, 42, 50)),
          scenes(
              ("bike", ("bike", "new wheels", "gravel bike", "build"), ("gravelbike", "bikelife")),
              ("rider", ("group ride", "coast road", "headwind", "commute", "gravel loop"),
               ("roadcycling", "ridelocal")),
              ("hairpins", ("climb", "col", "descent", "mountain pass"), ("cyclinglife", "outsideisfree"))),
          0.90, ("Cycles", "Bike Co.", "Velo Works"), 0.05),
    Topic("film",
          ("filmphotography", "35mm", "analog", "shootfilm", "filmisnotdead", "portra400", "mediumformat",
           "grainisgood", "filmcamera", "kodak", "believeinfilm", "analogphotography", "120film",
           "expiredfilm"),
          ("grainy", "faded", "warm", "dreamy", "nostalgic", "soft", "dusty", "golden"),
          ("darkroom", "seaside", "city", "back garden", "lab"),
          ("🎞️", "📸", "🌙", "✨"),
          ((246, 222, 196), (226, 150, 120), (200, 96, 86), (90, 120, 150), (46, 36, 40)),
          scenes(
              ("camera", ("rangefinder", "camera", "half frame", "old camera"), ("filmcamera", "35mm")),
              ("contact", ("contact sheet", "roll", "frame", "test roll"), ("analog", "shootfilm")),
              ("darkroom", ("darkroom", "prints", "print", "safelight"), ("believeinfilm", "analogphotography")),
              ("leak", ("light leak", "expired roll", "Portra", "summer roll"), ("expiredfilm", "portra400"))),
          1.00, ("Film Lab", "Analog", "Darkroom Supply"), 0.30),
)

GENERIC_HASHTAGS = ("photooftheday", "weekend", "instagood", "love", "today", "mood", "sundayvibes",
                    "goodtimes", "happy", "nofilter", "friends", "summer", "autumn", "latergram", "life")

FIRST_NAMES = (
    "Mira", "Jonas", "Zoë", "Søren", "Ana", "Luca", "Inês", "Tomás", "Chloé", "Björn", "Aoife", "Kenji",
    "Amara", "Felix", "Łucja", "José", "Noor", "Emil", "Sana", "Mateo", "Anaïs", "Jürgen", "Priya", "Oskar",
    "Leila", "Hugo", "Yuki", "Nils", "Ayşe", "Rafael", "Elin", "Omar", "Núria", "Theo", "Dóra", "Kofi",
    "Ines", "Mikael", "Renée", "Arjun", "Hana", "Pablo", "Freya", "Samir", "Marta", "Eoghan", "Ida", "Kai",
    "Clara", "Dmitri", "Lina", "Max", "Siân", "Tariq", "Vera", "Jakob", "Maëlle", "Bruno", "Esther", "Ravi",
    "Greta", "Malik", "Julia", "Émile", "Rosa", "Aleksander", "Nadia", "Finn", "Camila", "Henrik", "Lea",
    "Yusuf", "Frida", "Diego", "Saoirse", "Lars", "Imani", "Paulo", "Agnes", "Ishaan", "Wiktor", "Elena",
    "Otto", "Mei", "Teodor", "Alba", "Kwame", "Sofía", "Milan", "Ingrid", "Ahmed", "Tove", "Niko", "Rahel",
    "Lucas", "Astrid", "Jonah", "Carmen", "Viktor", "Maja", "Andrés", "Ottilie", "Oğuz", "Zsófia", "Anton",
    "Liv", "Matías", "Daria", "Sven", "Amélie", "Idris", "Hedda", "Joel", "Fatima", "Piotr", "Selin",
)

SURNAME_HEADS = ("Val", "Mor", "Ken", "Lis", "Bran", "Tor", "Hal", "Ost", "Ver", "Cal", "Dun", "Fen", "Gar",
                 "Iv", "Jar", "Kol", "Lun", "Mar", "Nor", "Pel", "Quin", "Ros", "Sar", "Tal", "Ul", "Var",
                 "Wen", "Zel", "Bel", "Cor", "Del", "Ers", "Fal", "Gren", "Hol", "Kas", "Lev", "Mel")
SURNAME_MIDDLES = ("a", "e", "i", "o", "an", "en", "or", "el", "", "ar", "is", "u")
SURNAME_TAILS = ("berg", "dóttir", "ez", "ini", "ova", "sen", "ski", "wood", "ley", "ford", "ard", "ton",
                 "ssen", "elli", "ou", "ak", "ić", "ström", "aux", "ño", "mann", "quist", "ada", "avi",
                 "escu", "ey", "holm", "ić", "ová", "rup", "vik", "ant")

BRAND_HEADS = ("North", "Ember", "Copper", "Fern", "Harbor", "Quill", "Juniper", "Alder", "Basalt", "Cobalt",
               "Drift", "Fable", "Granite", "Hollow", "Indigo", "Kestrel", "Lumen", "Marrow", "Nimbus",
               "Pebble", "Saffron", "Tidal", "Umber", "Vale", "Wren", "Birch", "Cinder", "Dune", "Elm",
               "Foxglove", "Gale", "Heron", "Isle", "Larch", "Moss", "Otter", "Plover", "Rook", "Sorrel")

# Words usernames are made of besides the name: "mira.climbs", "jonas_brews".
TOPIC_HANDLES = {
    "climbing": ("climbs", "crimps", "boulders", "onthewall", "sends"),
    "coffee": ("brews", "coffee", "espresso", "pourover", "beans"),
    "street photography": ("streets", "frames", "shoots", "wanders", "shadows"),
    "cooking": ("cooks", "kitchen", "eats", "bakes", "table"),
    "travel": ("travels", "roams", "abroad", "wanders", "atsea"),
    "dogs": ("andthedog", "dogs", "pup", "walks", "woof"),
    "architecture": ("lines", "builds", "concrete", "looksup", "spaces"),
    "running": ("runs", "miles", "strides", "trails", "pace"),
    "plants": ("plants", "grows", "leaves", "green", "jungle"),
    "ceramics": ("pots", "clay", "ceramics", "throws", "glaze"),
    "cycling": ("rides", "pedals", "cycles", "velo", "gravel"),
    "film": ("film", "shootsfilm", "analog", "grain", "35mm"),
}

LOCATIONS = ("Lisbon, Portugal", "Porto, Portugal", "Copenhagen, Denmark", "Berlin, Germany",
             "Ghent, Belgium", "Kraków, Poland", "Bergen, Norway", "Edinburgh, Scotland", "Marseille, France",
             "Valencia, Spain", "Kyoto, Japan", "Oaxaca, Mexico", "Reykjavík, Iceland", "Tbilisi, Georgia",
             "Ljubljana, Slovenia",
             "Amsterdam, Netherlands", "Fontainebleau, France", "Dolomites, Italy", "Mallorca, Spain",
             "Cape Town, South Africa", "Montréal, Canada", "Istanbul, Türkiye", "Athens, Greece",
             "Göteborg, Sweden", "Bristol, England", "Cork, Ireland", "Vienna, Austria", "Seoul, South Korea")

# A few captions open or close in another language, as real neighbourhoods do.
FOREIGN_PHRASES = ("Bom dia", "Schönen Sonntag", "Buenos días", "Bonne journée", "Hyvää huomenta",
                   "Dzień dobry", "Ciao a tutti", "God morgen", "Günaydın", "Jó reggelt", "Hej hej")
