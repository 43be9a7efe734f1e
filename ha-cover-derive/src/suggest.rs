//! "Did you mean" for misspelled words, and the list of valid ones.

use crate::symbol::Symbol;

/// The message for a word that is none of `valid`: what was found and where, the closest
/// valid word when one is close, and every valid word.
pub fn unknown(what: &str, found: &str, place: &str, valid: &[Symbol]) -> String {
    let list = one_of(valid);
    match closest(found, valid) {
        Some(near) => {
            format!("unknown {what} `{found}` in {place}; did you mean `{near}`? expected {list}")
        }
        None => format!("unknown {what} `{found}` in {place}; expected {list}"),
    }
}

/// "`a`, `b` or `c`".
pub fn one_of(valid: &[Symbol]) -> String {
    let quoted: Vec<String> = valid.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The valid word nearest to `found`, if a typo could explain the difference:
/// at most one edit per three letters, rounded up ("recovery" is three edits
/// from "recoveries").
pub fn closest(found: &str, valid: &[Symbol]) -> Option<Symbol> {
    let nearest = nearest(found, valid.iter().map(|word| word.as_str()))?;
    valid.iter().copied().find(|word| word.as_str() == nearest)
}

/// [`closest`] for words that are not symbols, such as errno names.
pub fn nearest<'a>(found: &str, valid: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = found.chars().count().div_ceil(3);
    valid
        .into_iter()
        .map(|word| (distance(found, word), word))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, word)| word)
}

/// Levenshtein distance, counting an adjacent swap as one edit ("ofset" and
/// "offest" are both one slip from "offset").
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbol::{ADDR, OFFSET, PATH, RECOVERIES};

    const ROLES: &[Symbol] = &[OFFSET, RECOVERIES, PATH, ADDR];

    #[test]
    fn typos_find_the_word() {
        assert_eq!(closest("ofset", ROLES), Some(OFFSET));
        assert_eq!(closest("offest", ROLES), Some(OFFSET));
        assert_eq!(closest("recovery", ROLES), Some(RECOVERIES));
        assert_eq!(closest("paht", ROLES), Some(PATH));
    }

    #[test]
    fn unrelated_words_find_nothing() {
        assert_eq!(closest("position", ROLES), None);
        assert_eq!(closest("x", ROLES), None);
        assert_eq!(closest("after", ROLES), None);
    }

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(one_of(&[OFFSET]), "`offset`");
        assert_eq!(one_of(ROLES), "`offset`, `recoveries`, `path` or `addr`");
    }
}
