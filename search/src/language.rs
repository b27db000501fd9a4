//! The languages the engine analyses: which Snowball stemmer and which stop words each uses.
//!
//! Ten of the Baltic Sea region's working languages have a stemmer (English, Danish, Estonian,
//! Finnish, German, Lithuanian, Norwegian, Polish, Swedish, Russian). Latvian and Icelandic have
//! none in Snowball: their words are folded and matched by prefix and by spelling distance, which
//! finds most inflected forms of a word typed in full, but not forms whose stem changes. Any
//! other language code is analysed the same way.

/// How one language's text is analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Language {
    pub stemmer: Option<frostem::Algorithm>,
    /// Function words: never required, never highlighted alone. Written as readers type them;
    /// the analyzer folds them.
    pub stop_words: &'static [&'static str],
    /// English words are folded before stemming (as accord always did); the other stemmers
    /// need their letters' diacritics ("ofiarą", "Männer"), so they stem first and fold after.
    pub fold_first: bool,
    /// English endings that complete a typed prefix into the words the index holds (see the
    /// engine's `COMPLETIONS`); other languages rely on prefix matching alone.
    pub completions: bool,
}

/// The language of `code` (`de`, `pl`, `nb`, `pt-BR`, …): the part before a `-` decides.
pub(crate) fn language(code: &str) -> Language {
    use frostem::Algorithm as A;
    let base = code
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let (stemmer, stop_words): (Option<A>, &'static [&'static str]) = match base.as_str() {
        "" | "en" => (Some(A::English), ENGLISH),
        "da" => (Some(A::Danish), DANISH),
        "de" => (Some(A::German), GERMAN),
        "et" => (Some(A::Estonian), ESTONIAN),
        "fi" => (Some(A::Finnish), FINNISH),
        "lt" => (Some(A::Lithuanian), LITHUANIAN),
        "nb" | "nn" | "no" => (Some(A::Norwegian), NORWEGIAN),
        "pl" => (Some(A::Polish), POLISH),
        "ru" => (Some(A::Russian), RUSSIAN),
        "sv" => (Some(A::Swedish), SWEDISH),
        "lv" => (None, LATVIAN),
        "is" => (None, ICELANDIC),
        _ => (None, &[]),
    };
    let english = matches!(base.as_str(), "" | "en");
    Language {
        stemmer,
        stop_words,
        fold_first: english,
        completions: english,
    }
}

/// Whether accord stems `code`'s words (the README lists the languages it does not).
pub fn has_stemmer(code: &str) -> bool {
    language(code).stemmer.is_some()
}

const ENGLISH: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "how",
    "i", "if", "in", "into", "is", "it", "its", "may", "more", "must", "no", "not", "of", "on",
    "or", "other", "our", "should", "so", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "was", "we", "were", "what", "when", "where",
    "which", "who", "why", "will", "with", "would", "you", "your",
];

const DANISH: &[&str] = &[
    "af", "alle", "at", "da", "de", "dem", "den", "denne", "der", "deres", "det", "dette", "du",
    "efter", "eller", "en", "er", "et", "for", "fra", "har", "hun", "hvad", "hvis", "hvor", "i",
    "ikke", "jeg", "kan", "med", "men", "mod", "når", "og", "også", "om", "på", "sig", "sin",
    "skal", "som", "til", "ud", "under", "var", "ved", "vi", "vil", "være",
];

const GERMAN: &[&str] = &[
    "aber", "alle", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "bis", "da", "damit",
    "dann", "das", "dass", "dem", "den", "der", "des", "die", "diese", "dieser", "du", "durch",
    "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "für", "hat", "ich", "ihr",
    "im", "in", "ist", "kann", "mit", "nach", "nicht", "noch", "nur", "oder", "sich", "sie",
    "sind", "so", "um", "und", "uns", "von", "vor", "was", "wenn", "wie", "wir", "wird", "zu",
    "zum", "zur", "über",
];

const ESTONIAN: &[&str] = &[
    "aga", "ei", "et", "ja", "ka", "kas", "kes", "kui", "kus", "ma", "me", "mida", "mis", "nad",
    "need", "ning", "nii", "ole", "oli", "on", "see", "selle", "seda", "siis", "ta", "te", "või",
    "ka", "ja", "kõik",
];

const FINNISH: &[&str] = &[
    "ei", "ennen", "he", "hän", "ja", "jo", "joka", "jos", "kanssa", "koska", "kuin", "kun", "me",
    "mitä", "mukaan", "mutta", "myös", "ne", "niin", "nyt", "oli", "olla", "on", "ovat", "se",
    "sekä", "sen", "sillä", "sitä", "tai", "te", "tämä", "tämän", "vaan", "vain", "että",
];

const ICELANDIC: &[&str] = &[
    "að", "af", "eða", "ef", "ekki", "en", "er", "eru", "fyrir", "hafa", "hann", "hefur", "hún",
    "og", "sem", "til", "um", "var", "vera", "við", "á", "í", "það", "þegar", "þeir",
];

const LATVIAN: &[&str] = &[
    "ar", "arī", "bet", "bez", "bija", "es", "ir", "jau", "ka", "kas", "kā", "kur", "lai", "līdz",
    "nav", "no", "par", "pie", "pēc", "tas", "tie", "tikai", "tā", "un", "uz", "vai", "viņa",
    "viņi", "viņš",
];

const LITHUANIAN: &[&str] = &[
    "apie", "ar", "be", "bet", "buvo", "bus", "dar", "iki", "ir", "iš", "jau", "ji", "jie", "jis",
    "jo", "jos", "kad", "kaip", "kas", "kur", "ką", "ne", "nuo", "nėra", "o", "per", "po", "prie",
    "su", "taip", "tai", "tik", "už", "yra", "į",
];

const NORWEGIAN: &[&str] = &[
    "alle", "av", "da", "de", "dem", "den", "denne", "der", "deres", "det", "dette", "du", "eller",
    "en", "er", "et", "etter", "for", "fra", "har", "hun", "hva", "hvis", "hvor", "i", "ikke",
    "jeg", "kan", "med", "men", "mot", "når", "og", "også", "om", "på", "seg", "sin", "skal",
    "som", "til", "under", "ut", "var", "ved", "vi", "vil", "være", "å",
];

const POLISH: &[&str] = &[
    "a", "aby", "ale", "albo", "ani", "bez", "by", "być", "był", "była", "było", "co", "czy",
    "dla", "do", "gdy", "go", "i", "ich", "im", "jak", "jako", "je", "jego", "jej", "jest", "już",
    "lub", "ma", "mu", "na", "nad", "nie", "niż", "o", "od", "oraz", "po", "pod", "przez", "przy",
    "się", "są", "ta", "tak", "te", "tego", "tej", "ten", "to", "tu", "w", "we", "z", "za", "ze",
    "że",
];

const RUSSIAN: &[&str] = &[
    "а",
    "без",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "во",
    "вы",
    "да",
    "для",
    "до",
    "его",
    "ее",
    "если",
    "есть",
    "же",
    "за",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "когда",
    "кто",
    "ли",
    "мы",
    "на",
    "не",
    "нет",
    "но",
    "о",
    "об",
    "он",
    "она",
    "они",
    "от",
    "по",
    "при",
    "с",
    "со",
    "так",
    "также",
    "то",
    "только",
    "у",
    "что",
    "чтобы",
    "это",
    "этот",
];

const SWEDISH: &[&str] = &[
    "alla", "att", "av", "de", "dem", "den", "denna", "deras", "det", "detta", "du", "efter",
    "eller", "en", "ett", "för", "från", "har", "hon", "hur", "i", "inte", "jag", "kan", "med",
    "men", "mot", "när", "och", "också", "om", "på", "sig", "sin", "ska", "som", "till", "under",
    "ut", "var", "vi", "vid", "vill", "vara", "än", "är", "åt", "över",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_languages_of_the_region_have_a_stemmer_and_two_fall_back() {
        let stemmed: Vec<&str> = [
            "en", "da", "de", "et", "fi", "is", "lv", "lt", "nb", "pl", "sv", "ru",
        ]
        .into_iter()
        .filter(|c| has_stemmer(c))
        .collect();
        assert_eq!(
            stemmed,
            ["en", "da", "de", "et", "fi", "lt", "nb", "pl", "sv", "ru"]
        );
        assert!(language("pt-BR").stemmer.is_none());
        assert_eq!(language("de-AT").stemmer, Some(frostem::Algorithm::German));
    }
}
