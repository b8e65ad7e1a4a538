/* Synthetic demonstration authority.  Proportions follow the Bedford TAS
 * pilot learning report (sections 2-3) and the English school population;
 * every name is drawn from word lists, so any likeness is chance.  All
 * choices use integer weights on one splitmix64 stream, in a fixed order,
 * so a plan depends only on (seed, today). */
#include "core/demo.h"
#include "lib/count.h"

#include "core/upn.h"

#include <stdlib.h>
#include <string.h>


/* ---- random numbers ---------------------------------------------------- */

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t demo_rng_next(struct demo_rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Rejection sampling: drop the 2^64 mod n lowest values so every residue
 * is equally likely (plain x % n favours small results). */
static uint64_t below64(struct demo_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = demo_rng_next(r);
        if (x >= threshold)
            return x % n;
    }
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
    return (uint32_t)below64(r, n);
}

size_t demo_rng_weighted(struct demo_rng *r, const unsigned *weights, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    if (total == 0)
        return 0;
    uint64_t x = below64(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1; /* not reached */
}

/* Inclusive range. */
static int between(struct demo_rng *r, int lo, int hi)
{
    return lo + (int)demo_rng_below(r, (uint32_t)(hi - lo + 1));
}

static const char *pick(struct demo_rng *r, const char *const *list, size_t n)
{
    return list[demo_rng_below(r, (uint32_t)n)];
}

#define PICK(r, list) pick((r), (list), COUNT(list))

/* ---- dates (proleptic Gregorian, integer only) --------------------------- */

static int64_t days_from_civil(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Writes v as exactly width digits (v is range-checked by the caller). */
static void put_digits(char *dst, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        dst[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

static void format_date(int64_t days, char out[11])
{
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, (unsigned)m, 2);
    out[7] = '-';
    put_digits(out + 8, (unsigned)d, 2);
    out[10] = '\0';
}

/* Academic year start (the September) for a strict "YYYY-MM-DD". */
static int academic_year(const char *today, int *out)
{
    if (!today || strlen(today) != 10 || today[4] != '-' || today[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (today[i] < '0' || today[i] > '9'))
            return -1;
    int y = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
            (today[3] - '0');
    int m = (today[5] - '0') * 10 + (today[6] - '0');
    int d = (today[8] - '0') * 10 + (today[9] - '0');
    if (y < 1990 || y > 2900 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *out = m >= 9 ? y : y - 1;
    return 0;
}

/* ---- the authority ------------------------------------------------------ */

/* Invented places; none is the name of an English council. */
static const char *const la_places[] = {
    "Northbridge", "Elmbury",   "Ravensmere", "Ashcombe",   "Wexley",     "Kestrelford",
    "Brackenwick", "Hollinsmoor", "Caldermere", "Oakhaven", "Fenmarsh",   "Wrenfield",
    "Marlbeck",    "Harrowdene", "Thistlewood", "Greywater",
};
static const char *const la_kinds[] = {
    " Borough Council", " Borough Council", " Borough Council",
    " City Council", " Council", " Metropolitan Borough Council",
};
/* Three-digit numbers absent from the DfE list of LA numbers, so a demo
 * UPN (which embeds the LA number) can never be a real child's UPN. */
static const char *const la_codes[] = {
    "804", "809", "814", "817", "818", "819", "824", "827", "828", "829",
    "832", "833", "834", "842", "843", "844", "847", "848", "849", "853",
    "854", "858", "859", "862", "863", "864", "897", "898", "899",
};

/* ---- schools ------------------------------------------------------------ */

static const char *const place_first[] = {
    "Elm",   "Oak",    "Ash",     "Birch",  "Beech", "Kings",  "Queens", "Mill",
    "Brook", "Hawthorn", "Willow", "Rowan", "Holly", "Fern",   "Heather", "Lark",
    "Wren",  "Kestrel", "Stone",  "Meadow", "Orchard", "Cedar", "Hazel",  "Alder",
    "Maple", "Broad",  "Fair",    "West",   "East",  "North",  "Thorn",  "Church",
};
static const char *const place_second[] = {
    "field", "mead", "wood",  "brook", "hill",  "croft", "lands", "park", "vale",
    "gate",  "dale", "ford",  "bridge", "lea",  "well",  "combe", "side", "hurst",
};
static const char *const saints[] = {
    "Mary",   "John",   "Peter",    "Paul",    "Andrew",  "Joseph",  "Thomas",
    "Anne",   "Michael", "George",  "Francis", "Bede",    "Luke",    "Mark",
    "Margaret", "Catherine", "Augustine", "Alban", "Hilda", "Edmund", "James",
    "Lawrence", "Nicholas", "Helen",  "Gregory", "Swithun", "Botolph", "Bernadette",
};

struct name_form {
    const char *before;     /* text before the place or saint */
    int saint;              /* 1: a saint's name, 0: a place */
    const char *after;
    unsigned weight;
    int estab_lo, estab_hi; /* church schools get the voluntary 3xxx/46xx block */
};

static const struct name_form primary_forms[] = {
    {"", 0, " Primary School", 7, 2001, 2999},
    {"", 0, " Primary Academy", 2, 2001, 2999},
    {"", 0, " Church of England Primary School", 1, 3001, 3999},
    {"St ", 1, "'s Church of England Primary School", 1, 3001, 3999},
    {"St ", 1, "'s Catholic Primary School", 1, 3001, 3999},
};
static const struct name_form secondary_forms[] = {
    {"", 0, " Academy", 4, 4001, 4599},
    {"", 0, " School", 2, 4001, 4599},
    {"", 0, " High School", 2, 4001, 4599},
    {"", 0, " Community College", 1, 4001, 4599},
    {"St ", 1, "'s Catholic Academy", 1, 4600, 4799},
};

struct roll_band { int lo, hi; unsigned weight; };
/* Most primaries have 200-450 pupils; the pilot's ran 71 to 890. */
static const struct roll_band primary_rolls[] = {
    {70, 199, 2}, {200, 449, 7}, {450, 699, 2}, {700, 900, 1},
};
/* The pilot's secondaries ran 574 to 1,371 (mean about 1,000). */
static const struct roll_band secondary_rolls[] = {
    {570, 899, 2}, {900, 1199, 4}, {1200, 1400, 2},
};

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static void concat3(char *dst, size_t dstsz, const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    if (la + lb + lc >= dstsz) { /* cannot happen with the lists above */
        dst[0] = '\0';
        return;
    }
    memcpy(dst, a, la);
    memcpy(dst + la, b, lb);
    memcpy(dst + la + lb, c, lc + 1);
}

static void make_school(struct demo_rng *r, struct demo_plan *p, size_t i, int secondary,
                        bool member)
{
    struct school *s = &p->schools[i];
    const struct name_form *forms = secondary ? secondary_forms : primary_forms;
    size_t nforms = secondary ? COUNT(secondary_forms) : COUNT(primary_forms);
    unsigned w[8];
    for (size_t k = 0; k < nforms; k++)
        w[k] = forms[k].weight;

    const struct name_form *f;
    for (;;) {
        f = &forms[demo_rng_weighted(r, w, nforms)];
        char place[48];
        if (f->saint) {
            concat3(place, sizeof place, PICK(r, saints), "", "");
        } else {
            const char *a = PICK(r, place_first);
            const char *b = PICK(r, place_second);
            if (ascii_ieq(a, b))
                continue; /* "Brookbrook" */
            concat3(place, sizeof place, a, b, "");
        }
        concat3(s->name, sizeof s->name, f->before, place, f->after);
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= strcmp(p->schools[k].name, s->name) == 0;
        if (!dup)
            break;
    }

    for (;;) {
        unsigned urn = (unsigned)between(r, 100000, 149999);
        put_digits(s->urn, urn, 6);
        s->urn[6] = '\0';
        int estab = between(r, f->estab_lo, f->estab_hi);
        put_digits(p->estab[i], (unsigned)estab, 4);
        p->estab[i][4] = '\0';
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= strcmp(p->schools[k].urn, s->urn) == 0 ||
                   strcmp(p->estab[k], p->estab[i]) == 0;
        if (!dup)
            break;
    }

    const struct roll_band *bands = secondary ? secondary_rolls : primary_rolls;
    size_t nbands = secondary ? COUNT(secondary_rolls) : COUNT(primary_rolls);
    for (size_t k = 0; k < nbands; k++)
        w[k] = bands[k].weight;
    const struct roll_band *b = &bands[demo_rng_weighted(r, w, nbands)];
    s->pupils_on_roll = between(r, b->lo, b->hi);

    /* Sum of two uniforms: a hump in the middle of the range, as real
     * schools cluster, in tenths so the value has exactly one decimal. */
    int fsm = 50 + between(r, 0, 200);
    fsm += between(r, 0, 200);
    int sen = 80 + between(r, 0, 85);
    sen += between(r, 0, 85);
    s->fsm_pct = fsm / 10.0; /* 5.0..45.0 */
    s->sen_pct = sen / 10.0; /* 8.0..25.0 */
    concat3(s->phase, sizeof s->phase, secondary ? "secondary" : "primary", "", "");
    s->tas_member = member;
}

/* ---- pupils ------------------------------------------------------------- */

/* Name pools by heritage.  A pupil's forename and surname come from the
 * same pool (from the two parents' pools for mixed groups), so names read
 * as one family's choice rather than a random mix. */
enum pool {
    P_BRITISH, P_IRISH, P_EAST_EUROPEAN, P_SOUTH_EUROPEAN, P_INDIAN, P_PAKBAN,
    P_WEST_AFRICAN, P_SOMALI, P_CARIBBEAN, P_CHINESE, P_NEPALI, P_FILIPINO, P_MIDEAST,
    P__COUNT,
    P_ANY = P__COUNT /* any pool at random */
};

struct name_pool {
    const char *const *male;
    size_t nmale;
    const char *const *female;
    size_t nfemale;
    const char *const *surname;
    size_t nsurname;
};

static const char *const british_m[] = {
    "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Charlie", "Freddie",
    "Alfie", "Theo", "Oscar", "Archie", "Jacob", "Thomas", "Henry", "William", "Joshua",
    "James", "Finley", "Max", "Lucas", "Isaac", "Ethan", "Reggie", "Tommy", "Harrison",
    "Albie", "Mason", "Dylan", "Riley", "Logan", "Louie", "Jude", "Ronnie", "Teddy",
    "Stanley", "Ellis", "Toby", "Callum", "Kieran", "Lewis", "Connor", "Bobby", "Frankie",
};
static const char *const british_f[] = {
    "Olivia", "Amelia", "Isla", "Ava", "Lily", "Freya", "Ivy", "Florence", "Poppy",
    "Willow", "Evie", "Sophia", "Grace", "Isabella", "Rosie", "Ella", "Daisy", "Millie",
    "Phoebe", "Sienna", "Ruby", "Matilda", "Harper", "Elsie", "Mia", "Emily", "Maisie",
    "Lola", "Erin", "Esme", "Holly", "Chloe", "Jessica", "Megan", "Lacey", "Imogen",
};
static const char *const british_s[] = {
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
    "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White",
    "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson", "Wood",
    "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "King",
    "Baker", "Harrison", "Morgan", "Allen", "Scott", "Phillips", "Watson", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Cook", "Carter", "Bailey",
    "Collins", "Bell", "Shaw", "Miller", "Cox", "Marshall", "Simpson", "Ellis", "Adams",
    "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Hunt",
    "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Dixon", "Harvey",
    "Pearce", "Fletcher", "Saunders", "Hammond", "Booth", "Lowe",
};
static const char *const irish_m[] = {
    "Cian", "Ciaran", "Declan", "Sean", "Conor", "Patrick", "Oisin", "Finn", "Darragh",
    "Ronan",
};
static const char *const irish_f[] = {
    "Niamh", "Aoife", "Siobhan", "Ciara", "Orla", "Roisin", "Saoirse", "Caoimhe",
    "Sinead", "Bridget",
};
static const char *const irish_s[] = {
    "Murphy", "Kelly", "O'Brien", "Byrne", "Ryan", "O'Connor", "Doyle", "Walsh",
    "McCarthy", "Gallagher", "Quinn", "Brennan", "Doherty", "Keane",
};
/* Polish, Romanian, Slovak, Hungarian; surnames that do not change with sex. */
static const char *const east_european_m[] = {
    "Jakub", "Oliwier", "Filip", "Antoni", "Mateusz", "Dawid", "Szymon", "Andrei",
    "Matei", "Ionut", "Lukas", "Tomas", "Dominik", "Mihai",
};
static const char *const east_european_f[] = {
    "Zuzanna", "Maja", "Lena", "Alicja", "Kornelia", "Julia", "Ioana", "Daria",
    "Natalia", "Emilia", "Hanna", "Elena", "Gabriela", "Viktoria",
};
static const char *const east_european_s[] = {
    "Nowak", "Mazur", "Krol", "Wozniak", "Kowalczyk", "Popescu", "Ionescu", "Dumitru",
    "Rusu", "Marin", "Horvath", "Novak", "Kovacs", "Balogh", "Stan", "Lupu",
};
/* Italian, Portuguese, Spanish. */
static const char *const south_european_m[] = {
    "Luca", "Marco", "Matteo", "Rafael", "Tiago", "Diogo", "Pedro", "Alejandro",
    "Lorenzo", "Hugo",
};
static const char *const south_european_f[] = {
    "Giulia", "Sofia", "Beatriz", "Ines", "Mariana", "Chiara", "Lucia", "Carmen", "Ana",
    "Alice",
};
static const char *const south_european_s[] = {
    "Rossi", "Bianchi", "Russo", "Ferreira", "Silva", "Santos", "Costa", "Oliveira",
    "Pereira", "Garcia", "Fernandez", "Romano",
};
static const char *const indian_m[] = {
    "Arjun", "Aarav", "Rohan", "Vihaan", "Krish", "Dev", "Ishaan", "Arav", "Jaspreet",
    "Harjot", "Rahul", "Nikhil",
};
static const char *const indian_f[] = {
    "Priya", "Anaya", "Diya", "Saanvi", "Aanya", "Ishani", "Kavya", "Simran", "Jasleen",
    "Meera", "Riya", "Tara",
};
static const char *const indian_s[] = {
    "Patel", "Sharma", "Singh", "Gill", "Sandhu", "Kumar", "Shah", "Mistry", "Chauhan",
    "Sidhu", "Dhillon", "Joshi", "Mehta", "Bains",
};
static const char *const pakban_m[] = {
    "Muhammad", "Mohammed", "Ibrahim", "Yusuf", "Ayaan", "Zayn", "Hamza", "Ali",
    "Rayyan", "Zakariya", "Musa", "Idris", "Ismail", "Bilal",
};
static const char *const pakban_f[] = {
    "Aisha", "Maryam", "Fatima", "Zainab", "Inaaya", "Hafsa", "Amira", "Safa", "Noor",
    "Khadija", "Hana", "Sumaya", "Alisha", "Iqra",
};
static const char *const pakban_s[] = {
    "Khan", "Hussain", "Ali", "Ahmed", "Rahman", "Akhtar", "Iqbal", "Mahmood", "Shah",
    "Uddin", "Miah", "Islam", "Chowdhury", "Rashid", "Malik", "Aziz",
};
/* Nigerian and Ghanaian. */
static const char *const west_african_m[] = {
    "Oluwaseun", "Tobi", "David", "Emmanuel", "Daniel", "Samuel", "Kwame", "Kofi",
    "Chidi", "Ayodele", "Tomiwa", "Joshua", "Michael", "Nathaniel",
};
static const char *const west_african_f[] = {
    "Precious", "Blessing", "Favour", "Chioma", "Adaeze", "Amara", "Tiwa", "Esther",
    "Abigail", "Ama", "Comfort", "Deborah", "Ruth", "Grace",
};
static const char *const west_african_s[] = {
    "Okafor", "Adeyemi", "Mensah", "Osei", "Boateng", "Okoro", "Adebayo", "Nwosu",
    "Asante", "Eze", "Ogunleye", "Owusu", "Afolabi", "Obi",
};
static const char *const somali_m[] = {
    "Abdirahman", "Mohamed", "Abdullahi", "Yusuf", "Ahmed", "Ayub", "Hamza", "Mustafe",
    "Abdi", "Ismail",
};
static const char *const somali_f[] = {
    "Hodan", "Amina", "Fadumo", "Sagal", "Hibo", "Ikram", "Naima", "Ayaan", "Hamdi",
    "Muna",
};
static const char *const somali_s[] = {
    "Abdi", "Mohamed", "Hassan", "Warsame", "Farah", "Ali", "Ahmed", "Osman", "Jama",
    "Hussein", "Yusuf", "Nur",
};
static const char *const caribbean_m[] = {
    "Jayden", "Kai", "Tyrese", "Malachi", "Isaiah", "Elijah", "Nathaniel", "Jerome",
    "Kyrie", "Marcus", "Jaden", "Andre",
};
static const char *const caribbean_f[] = {
    "Nia", "Aaliyah", "Keziah", "Shanice", "Jada", "Tiana", "Imani", "Leah", "Kayla",
    "Chantelle", "Jasmine", "Amani",
};
static const char *const caribbean_s[] = {
    "Campbell", "Brown", "Williams", "Clarke", "Francis", "Grant", "Reid", "Gordon",
    "Bailey", "Henry", "Spencer", "Richards", "Samuels", "McKenzie", "Forbes",
};
static const char *const chinese_m[] = {
    "Ethan", "Jason", "Hao", "Wei", "Jun", "Ryan", "Kevin", "Zihan", "Yichen", "Leon",
};
static const char *const chinese_f[] = {
    "Chloe", "Mei", "Xin", "Jia", "Yan", "Emily", "Hui", "Ling", "Vivian", "Zoe",
};
static const char *const chinese_s[] = {
    "Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Lam", "Chan", "Cheung", "Ng", "Ho",
    "Lin",
};
static const char *const nepali_m[] = {
    "Aayush", "Nabin", "Bishal", "Sujan", "Prabin", "Kiran", "Roshan", "Sandesh",
};
static const char *const nepali_f[] = {
    "Sabina", "Anjali", "Sita", "Prakriti", "Asmita", "Srijana", "Nisha", "Manisha",
};
static const char *const nepali_s[] = {
    "Gurung", "Rai", "Thapa", "Magar", "Tamang", "Limbu", "Shrestha", "Pun",
};
static const char *const filipino_m[] = {
    "Gabriel", "Joshua", "Rafael", "Daniel", "Miguel", "Carlo", "Angelo", "Nathan",
};
static const char *const filipino_f[] = {
    "Angel", "Nicole", "Maria", "Sofia", "Althea", "Princess", "Bea", "Kristine",
};
static const char *const filipino_s[] = {
    "Reyes", "Santos", "Cruz", "Garcia", "Bautista", "Mendoza", "Villanueva", "Dela Cruz",
};
static const char *const mideast_m[] = {
    "Omar", "Ahmad", "Karim", "Yousef", "Mustafa", "Adam", "Hassan", "Sami", "Rami",
    "Zaid",
};
static const char *const mideast_f[] = {
    "Layla", "Sara", "Rania", "Mariam", "Nour", "Yasmin", "Dina", "Lina", "Huda",
    "Shirin",
};
static const char *const mideast_s[] = {
    "Haddad", "Rahimi", "Ahmadi", "Karimi", "Saleh", "Mansour", "Abdullah", "Al-Amin",
    "Nasser", "Hamid", "Barzani", "Sultani",
};
/* Chosen names are often unisex; used for non-binary pupils. */
static const char *const unisex[] = {
    "Alex", "Charlie", "Sam", "Jamie", "Riley", "Rowan", "Robin", "Eden", "Frankie",
    "Jesse", "Ash", "Kit", "Morgan", "Quinn", "Sky", "River",
};

#define POOL(x) {x##_m, COUNT(x##_m), x##_f, COUNT(x##_f), x##_s, COUNT(x##_s)}
static const struct name_pool pools[P__COUNT] = {
    [P_BRITISH] = POOL(british),
    [P_IRISH] = POOL(irish),
    [P_EAST_EUROPEAN] = POOL(east_european),
    [P_SOUTH_EUROPEAN] = POOL(south_european),
    [P_INDIAN] = POOL(indian),
    [P_PAKBAN] = POOL(pakban),
    [P_WEST_AFRICAN] = POOL(west_african),
    [P_SOMALI] = POOL(somali),
    [P_CARIBBEAN] = POOL(caribbean),
    [P_CHINESE] = POOL(chinese),
    [P_NEPALI] = POOL(nepali),
    [P_FILIPINO] = POOL(filipino),
    [P_MIDEAST] = POOL(mideast),
};

/* Per 1,000, close to the English school population (WBRI about 64%).
 * Names come from pool a or b: for a mixed group forename and surname
 * are drawn separately (two heritages), otherwise one pool serves both. */
struct ethnic {
    const char *code;
    unsigned weight;
    int scaled;          /* 1: varies with a school's intake, 0: recording gaps */
    int mixed;
    enum pool a, b;
};
static const struct ethnic ethnics[] = {
    {"WBRI", 637, 0, 0, P_BRITISH, P_BRITISH},
    {"WIRI", 3, 1, 1, P_IRISH, P_BRITISH},
    {"WIRT", 1, 1, 0, P_IRISH, P_IRISH},
    {"WROM", 5, 1, 0, P_EAST_EUROPEAN, P_EAST_EUROPEAN},
    {"WOTH", 80, 1, 0, P_EAST_EUROPEAN, P_SOUTH_EUROPEAN},
    {"MWBC", 15, 1, 1, P_BRITISH, P_CARIBBEAN},
    {"MWBA", 8, 1, 1, P_BRITISH, P_WEST_AFRICAN},
    {"MWAS", 15, 1, 1, P_BRITISH, P_INDIAN},
    {"MOTH", 22, 1, 1, P_BRITISH, P_ANY},
    {"AIND", 30, 1, 0, P_INDIAN, P_INDIAN},
    {"APKN", 45, 1, 0, P_PAKBAN, P_PAKBAN},
    {"ABAN", 15, 1, 0, P_PAKBAN, P_PAKBAN},
    {"AOTH", 25, 1, 0, P_NEPALI, P_FILIPINO},
    {"CHNE", 6, 1, 0, P_CHINESE, P_CHINESE},
    {"BAFR", 40, 1, 0, P_WEST_AFRICAN, P_SOMALI},
    {"BCRB", 8, 1, 0, P_CARIBBEAN, P_CARIBBEAN},
    {"BOTH", 10, 1, 0, P_WEST_AFRICAN, P_CARIBBEAN},
    {"OOTH", 20, 1, 0, P_MIDEAST, P_MIDEAST},
    {"NOBT", 10, 0, 0, P_BRITISH, P_ANY},
    {"REFU", 5, 0, 0, P_BRITISH, P_ANY},
};

/* TAS cases by phase (pilot report 3.1): primary 69% male and no
 * non-binary pupils, secondary 53% male; U = not recorded. */
static const char *const genders[] = {"M", "F", "X", "U"};
static const unsigned gender_primary[] = {69, 30, 0, 1};
static const unsigned gender_secondary[] = {53, 44, 2, 1};

/* About a third of primary cases and three quarters of secondary cases
 * were already on SEN support (report 3.2); about 10% overall have plans. */
static const char *const sens[] = {"N", "K", "E"};
static const unsigned sen_primary[] = {58, 35, 7};
static const unsigned sen_secondary[] = {22, 63, 15};

/* The pilot saw more cases in Years 1, 2 and 5 (report, Figure 3b), few in
 * Reception, and more in Y7-9 than at GCSE. */
static const char *const primary_years[] = {"R", "1", "2", "3", "4", "5", "6"};
static const unsigned primary_year_w[] = {8, 18, 18, 12, 12, 19, 13};
static const char *const secondary_years[] = {"7", "8", "9", "10", "11"};
static const unsigned secondary_year_w[] = {24, 25, 22, 17, 12};

static enum pool resolve_pool(struct demo_rng *r, enum pool a, enum pool b)
{
    enum pool p = demo_rng_below(r, 2) ? b : a;
    if (p == P_ANY)
        p = (enum pool)demo_rng_below(r, P__COUNT);
    return p;
}

static const char *forename(struct demo_rng *r, const struct name_pool *np, char g)
{
    if (g == 'X')
        return PICK(r, unisex);
    if (g == 'F')
        return pick(r, np->female, np->nfemale);
    return pick(r, np->male, np->nmale);
}

static void make_name(struct demo_rng *r, const struct ethnic *e, struct pupil *pu)
{
    enum pool fpool = resolve_pool(r, e->a, e->b);
    enum pool spool = e->mixed ? resolve_pool(r, e->a, e->b) : fpool;
    const struct name_pool *fp = &pools[fpool], *sp = &pools[spool];
    const char *surname = pick(r, sp->surname, sp->nsurname);
    concat3(pu->surname, sizeof pu->surname, surname, "", "");

    char g = pu->gender[0];
    if (g == 'U') /* not recorded, but the child still has a name */
        g = demo_rng_below(r, 2) ? 'F' : 'M';
    const char *first = forename(r, fp, g);
    concat3(pu->forenames, sizeof pu->forenames, first, "", "");
    /* One in five has a middle name, as on school registers. */
    if (demo_rng_below(r, 5) == 0) {
        const char *middle = forename(r, fp, g);
        if (strcmp(middle, first) != 0 && strcmp(middle, surname) != 0)
            concat3(pu->forenames, sizeof pu->forenames, first, " ", middle);
    }
}

struct gen {
    struct demo_rng *r;
    struct demo_plan *p;
    int acyear;               /* September of the current academic year */
    size_t primaries[DEMO_MAX_SCHOOLS];
    size_t nprimaries;
};

static int upn_taken(const struct demo_plan *p, size_t upto, const char *upn)
{
    for (size_t k = 0; k < upto; k++)
        if (memcmp(p->pupils[k].upn, upn, 13) == 0)
            return 1;
    return 0;
}

/* A UPN is issued by the school a child first joins, in that academic
 * year; secondary pupils therefore mostly carry a primary's LAESTAB. */
static void make_upn(struct gen *g, size_t si, int secondary, int ncy, size_t idx)
{
    struct demo_rng *r = g->r;
    struct pupil *pu = &g->p->pupils[idx];
    int started = g->acyear - ncy; /* September they entered Reception */
    size_t alloc_school = si;
    int alloc_year = started;
    unsigned roll = demo_rng_below(r, 100);
    if (!secondary) {
        if (roll >= 86 && roll < 94 && g->nprimaries > 1) {
            /* moved from another primary in the authority */
            do
                alloc_school = g->primaries[demo_rng_below(r, (uint32_t)g->nprimaries)];
            while (alloc_school == si);
        } else if (roll >= 94 && ncy > 0) {
            /* arrived from outside England after Reception */
            alloc_year = g->acyear - (int)demo_rng_below(r, (uint32_t)ncy);
        }
    } else {
        if (roll < 92) {
            alloc_school = g->primaries[demo_rng_below(r, (uint32_t)g->nprimaries)];
        } else {
            /* arrived during secondary: issued by this school */
            alloc_year = g->acyear - (int)demo_rng_below(r, (uint32_t)(ncy - 6));
        }
    }

    char body[13];
    memcpy(body, g->p->authority.la_code, 3);
    memcpy(body + 3, g->p->estab[alloc_school], 4);
    put_digits(body + 7, (unsigned)(alloc_year % 100), 2);
    body[12] = '\0';
    for (;;) {
        put_digits(body + 9, (unsigned)between(r, 1, 999), 3);
        pu->upn[0] = upn_check_letter(body);
        memcpy(pu->upn + 1, body, 13);
        if (!upn_taken(g->p, idx, pu->upn))
            break;
    }
}

static int name_taken(const struct demo_plan *p, size_t upto, const struct pupil *pu)
{
    for (size_t k = 0; k < upto; k++)
        if (strcmp(p->pupils[k].surname, pu->surname) == 0 &&
            strcmp(p->pupils[k].forenames, pu->forenames) == 0)
            return 1;
    return 0;
}

static void make_pupil(struct gen *g, size_t si, const unsigned *eth_w, size_t idx)
{
    struct demo_rng *r = g->r;
    struct pupil *pu = &g->p->pupils[idx];
    int secondary = strcmp(g->p->schools[si].phase, "secondary") == 0;
    pu->school_id = (int64_t)si;

    int ncy;
    const char *yc;
    if (secondary) {
        size_t k = demo_rng_weighted(r, secondary_year_w, COUNT(secondary_year_w));
        yc = secondary_years[k];
        ncy = 7 + (int)k;
    } else {
        size_t k = demo_rng_weighted(r, primary_year_w, COUNT(primary_year_w));
        yc = primary_years[k];
        ncy = (int)k; /* Reception is year 0 */
    }
    concat3(pu->nc_year, sizeof pu->nc_year, yc, "", "");

    /* Age on 31 August before the school year is NC year + 4, so birth
     * falls in the 12 months from 1 September, ncy + 5 years earlier. */
    int64_t first = days_from_civil(g->acyear - ncy - 5, 9, 1);
    int64_t last = days_from_civil(g->acyear - ncy - 4, 8, 31);
    format_date(first + (int64_t)demo_rng_below(r, (uint32_t)(last - first + 1)),
                pu->date_of_birth);

    const unsigned *gw = secondary ? gender_secondary : gender_primary;
    concat3(pu->gender, sizeof pu->gender, genders[demo_rng_weighted(r, gw, 4)], "", "");
    const struct ethnic *e = &ethnics[demo_rng_weighted(r, eth_w, COUNT(ethnics))];
    concat3(pu->ethnicity, sizeof pu->ethnicity, e->code, "", "");
    const unsigned *sw = secondary ? sen_secondary : sen_primary;
    concat3(pu->sen_provision, sizeof pu->sen_provision, sens[demo_rng_weighted(r, sw, 3)],
            "", "");

    /* Distinct names keep the demo readable; give up after a few tries. */
    for (int tries = 0; tries < 30; tries++) {
        make_name(r, e, pu);
        if (!name_taken(g->p, idx, pu) && strcmp(pu->forenames, pu->surname) != 0)
            break;
    }
    make_upn(g, si, secondary, ncy, idx);
}

/* ---- users -------------------------------------------------------------- */

static const struct demo_user users[] = {
    {"admin", "Alex Morgan (Administrator)", "admin", "authority", -1, ""},
    {"dpo", "Priya Natarajan (Data Protection Officer)", "dpo", "authority", -1, ""},
    {"lead", "Jo Whitfield (Strategic Lead)", "strategic_lead", "authority", -1, ""},
    {"coordinator", "Sam Okonjo (Case Coordinator)", "case_coordinator", "authority", -1, ""},
    {"head", "Helen Ashworth (Headteacher)", "school_lead", "school", 0, "head"},
    {"senco", "Daniel Reyes (SENCO)", "school_lead", "school", 1, "senco"},
    {"practitioner", "Fatima Qureshi (Educational Psychologist)", "practitioner", "service",
     -1, "ep"},
    {"evaluator", "Chris Lindqvist (Evaluator)", "evaluator", "authority", -1, ""},
    {"steering", "Ruth Adebayo (Steering Group)", "steering", "authority", -1, ""},
    /* The pooled budget (docs/budget.md): one who commits, one who approves. */
    {"budget.holder", "Tom Brennan (Budget Holder)", "budget_holder", "authority", -1, ""},
    {"budget.approver", "Grace Osei (Budget Approver)", "budget_approver", "authority", -1, ""},
};

/* ---- the plan ----------------------------------------------------------- */

#define TAS_PRIMARIES 12
#define TAS_SECONDARIES 6
#define CMP_PRIMARIES 4
#define CMP_SECONDARIES 2

int demo_plan_authority(uint64_t seed, const char *today, struct demo_plan *out)
{
    /* Zero everything first: padding and unused bytes then compare equal
     * between runs, and a failed plan is safe to free. */
    memset(out, 0, sizeof *out);
    int acyear;
    if (academic_year(today, &acyear) != 0)
        return -1;

    struct demo_rng rng;
    demo_rng_seed(&rng, seed);
    struct demo_rng *r = &rng;

    concat3(out->authority.la_code, sizeof out->authority.la_code, PICK(r, la_codes), "", "");
    /* One draw per statement: C leaves argument order unspecified, and gcc
     * and clang really do differ, which would change the plan. */
    const char *place = PICK(r, la_places);
    const char *kind = PICK(r, la_kinds);
    concat3(out->authority.name, sizeof out->authority.name, place, kind, "");

    static const struct { int n, secondary; bool member; } blocks[] = {
        {TAS_PRIMARIES, 0, true},
        {TAS_SECONDARIES, 1, true},
        {CMP_PRIMARIES, 0, false},
        {CMP_SECONDARIES, 1, false},
    };
    struct gen g = {r, out, acyear, {0}, 0};
    for (size_t b = 0; b < COUNT(blocks); b++) {
        for (int k = 0; k < blocks[b].n; k++) {
            size_t i = out->nschools++;
            make_school(r, out, i, blocks[b].secondary, blocks[b].member);
            if (!blocks[b].secondary)
                g.primaries[g.nprimaries++] = i;
        }
    }

    /* Cases per school: 15-25 in a TAS school, more in bigger ones; a
     * handful known to each comparison school. */
    int counts[DEMO_MAX_SCHOOLS];
    size_t total = 0;
    for (size_t i = 0; i < out->nschools; i++) {
        const struct school *s = &out->schools[i];
        int c;
        if (s->tas_member) {
            c = 18 + s->pupils_on_roll * 8 / 1400 + between(r, -2, 2);
            c = c < 15 ? 15 : c > 25 ? 25 : c;
        } else {
            c = between(r, 4, 6);
        }
        counts[i] = c;
        total += (size_t)c;
    }
    out->pupils = calloc(total, sizeof *out->pupils);
    if (!out->pupils)
        return -1;

    size_t idx = 0;
    for (size_t i = 0; i < out->nschools; i++) {
        /* Intakes differ: scale minority groups by 50%-150% per school. */
        unsigned w[COUNT(ethnics)];
        unsigned pct = (unsigned)between(r, 50, 150), all = 0, others = 0;
        for (size_t k = 0; k < COUNT(ethnics); k++) {
            all += ethnics[k].weight;
            w[k] = ethnics[k].scaled ? ethnics[k].weight * pct / 100 : ethnics[k].weight;
            if (k > 0)
                others += w[k];
        }
        w[0] = all - others; /* WBRI (first) takes up the difference */
        for (int k = 0; k < counts[i]; k++, idx++)
            make_pupil(&g, i, w, idx);
    }
    out->npupils = idx;

    memcpy(out->users, users, sizeof users);
    out->nusers = COUNT(users);
    return 0;
}

void demo_plan_free(struct demo_plan *p)
{
    if (!p)
        return;
    free(p->pupils);
    p->pupils = NULL;
    p->npupils = 0;
}
