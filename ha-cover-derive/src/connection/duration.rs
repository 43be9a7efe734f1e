//! Durations written with their unit, `10ms` or `1.5s`, read at compile time.
//!
//! Rust lexes `10ms` as one integer literal with the suffix `ms`, so a duration
//! is a single token: the number and the unit cannot drift apart, and a missing
//! or unknown unit is an error at that token.

use proc_macro2::{Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};
use syn::parse::ParseStream;
use syn::{Lit, Token};

use crate::attr::take_until_comma;
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::symbol::{H, MIN, MS, NS, S, Symbol, US};

/// The units, shortest first, and their length in nanoseconds.
const UNITS: &[(Symbol, u128)] = &[
    (NS, 1),
    (US, 1_000),
    (MS, 1_000_000),
    (S, 1_000_000_000),
    (MIN, 60_000_000_000),
    (H, 3_600_000_000_000),
];

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Other spellings of the units, answered with the one to write.
const ALIASES: &[(&[&str], Symbol)] = &[
    (&["nsec", "nanos", "nanosecond", "nanoseconds"], NS),
    (&["usec", "micros", "microsecond", "microseconds", "µs"], US),
    (&["msec", "millis", "millisecond", "milliseconds"], MS),
    (&["sec", "secs", "second", "seconds"], S),
    (&["m", "mins", "minute", "minutes"], MIN),
    (&["hr", "hrs", "hour", "hours"], H),
];

/// A duration and the literal it was written as.
#[derive(Clone)]
pub struct Duration {
    pub nanos: u128,
    pub lit: Lit,
}

impl Duration {
    pub fn span(&self) -> Span {
        self.lit.span()
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// The literal as written, for messages.
    pub fn text(&self) -> String {
        self.lit.to_token_stream().to_string()
    }

    /// A `std::time::Duration` expression, in the largest unit that is exact.
    pub fn expr(&self, duration: &TokenStream) -> TokenStream {
        let span = self.span();
        let nanos = self.nanos;
        let secs = Literal::u64_unsuffixed((nanos / NANOS_PER_SEC) as u64);
        if nanos.is_multiple_of(NANOS_PER_SEC) {
            return quote_spanned!(span=> #duration::from_secs(#secs));
        }
        let Ok(small) = u64::try_from(nanos) else {
            let sub = Literal::u32_unsuffixed((nanos % NANOS_PER_SEC) as u32);
            return quote_spanned!(span=> #duration::new(#secs, #sub));
        };
        let (constructor, value) = if small.is_multiple_of(1_000_000) {
            ("from_millis", small / 1_000_000)
        } else if small.is_multiple_of(1_000) {
            ("from_micros", small / 1_000)
        } else {
            ("from_nanos", small)
        };
        let constructor = syn::Ident::new(constructor, span);
        let value = Literal::u64_unsuffixed(value);
        quote_spanned!(span=> #duration::#constructor(#value))
    }
}

/// Formats nanoseconds the way they would be written, in the largest unit that
/// holds them whole: `10ms`, `1500ms`, `2min`.
pub fn show(nanos: u128) -> String {
    let (unit, per) = UNITS
        .iter()
        .rev()
        .find(|&&(_, per)| nanos >= per && nanos.is_multiple_of(per))
        .map_or((S, NANOS_PER_SEC), |&(unit, per)| (unit, per));
    format!("{}{unit}", nanos / per)
}

/// One duration; errors are recorded and the value skipped.
pub fn parse(cx: &Ctxt, input: ParseStream<'_>) -> Option<Duration> {
    let tokens = take_until_comma(input);
    from_tokens(cx, tokens)
}

/// Durations separated by commas, as in `example`, `exponential(10ms, 2s)`.
pub fn parse_list(cx: &Ctxt, input: ParseStream<'_>, example: &str) -> Option<Vec<Duration>> {
    let mut all = Vec::new();
    let mut complete = true;
    let mut named = false;
    while !input.is_empty() {
        let tokens = take_until_comma(input);
        // `initial = 10ms`: one error for the list, not one per argument.
        let mut iter = tokens.clone().into_iter();
        if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(eq))) =
            (iter.next(), iter.next())
            && eq.as_char() == '='
        {
            if !named {
                cx.error_spanned_by(
                    &name,
                    format!(
                        "the durations go by position, without names: write `backoff = {example}`"
                    ),
                );
            }
            named = true;
            complete = false;
        } else {
            match from_tokens(cx, tokens) {
                Some(duration) => all.push(duration),
                None => complete = false,
            }
        }
        if input.peek(Token![,]) {
            let _ = input.parse::<Token![,]>();
        }
    }
    complete.then_some(all)
}

fn from_tokens(cx: &Ctxt, tokens: TokenStream) -> Option<Duration> {
    let form = "write a number and its unit, as in `100ms` or `1.5s`";
    if tokens.is_empty() {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!("expected a duration: {form}"),
        ));
        return None;
    }
    let lit = match syn::parse2::<Lit>(tokens.clone()) {
        Ok(lit) => lit,
        Err(_) => {
            let first = tokens.clone().into_iter().next();
            let message = match first {
                Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '-' => {
                    "a duration cannot be negative".to_owned()
                }
                _ => match syn::parse2::<Lit>(tokens.clone().into_iter().take(1).collect()) {
                    Ok(Lit::Int(_) | Lit::Float(_)) => after_the_number(&tokens),
                    _ => format!("expected a duration: {form}"),
                },
            };
            cx.error_spanned_by(tokens, message);
            return None;
        }
    };
    let (digits, unit) = match &lit {
        Lit::Int(int) => (int.base10_digits().to_owned(), int.suffix().to_owned()),
        Lit::Float(float) => (float.base10_digits().to_owned(), float.suffix().to_owned()),
        Lit::Str(s) => {
            let value = s.value();
            cx.error_spanned_by(
                s,
                format!(
                    "write the duration without quotes: `{}`",
                    value.replace(' ', "")
                ),
            );
            return None;
        }
        other => {
            cx.error_spanned_by(other, format!("expected a duration: {form}"));
            return None;
        }
    };
    let nanos = match nanos(&digits, &unit) {
        Ok(nanos) => nanos,
        Err(message) => {
            // The tokens, not the literal: a negative one is spanned at its `-`.
            cx.error_spanned_by(tokens, message);
            return None;
        }
    };
    Some(Duration { nanos, lit })
}

/// What to write instead of a number followed by more tokens: `10 ms` is
/// `10ms`, `30 sec` is `30s`, `10ms 2s` is two durations, which need a comma.
fn after_the_number(tokens: &TokenStream) -> String {
    let all: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let number = all[0].to_string();
    let has_unit = number.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '_');
    match &all[1..] {
        [TokenTree::Ident(word)] if has_unit.is_empty() => {
            let word = word.to_string();
            let unit = UNITS
                .iter()
                .map(|&(u, _)| u)
                .find(|u| u.as_str() == word)
                .or_else(|| {
                    ALIASES
                        .iter()
                        .find(|(long, _)| long.contains(&word.as_str()))
                        .map(|&(_, short)| short)
                });
            match unit {
                Some(unit) => format!(
                    "write the unit right after the number, with no space: `{number}{unit}`"
                ),
                None => format!(
                    "unknown unit `{word}`; write the number and its unit as one token, as in `{number}ms` or `{number}s` (units: {})",
                    units()
                ),
            }
        }
        [TokenTree::Literal(_), ..] => format!(
            "one duration is expected here, and `{}` is two: separate durations with a comma",
            tokens
        ),
        _ => format!(
            "expected one duration, a number and its unit in one token, as in `1.5s` or `100ms`; found `{tokens}`"
        ),
    }
}

/// The length of `digits` (decimal, maybe with a fraction) of `unit`.
fn nanos(digits: &str, unit: &str) -> Result<u128, String> {
    if let Some(positive) = digits.strip_prefix('-') {
        return Err(format!(
            "a duration cannot be negative: write `{positive}{unit}`, or a recovery waits no time with `backoff = none`"
        ));
    }
    if unit.is_empty() {
        return Err(format!(
            "`{digits}` needs a unit: write `{digits}ms` or `{digits}s` (units: {})",
            units()
        ));
    }
    let Some(&(_, per)) = UNITS.iter().find(|(u, _)| u.as_str() == unit) else {
        if let Some(&(_, short)) = ALIASES.iter().find(|(long, _)| long.contains(&unit)) {
            return Err(format!(
                "write the unit `{unit}` as `{short}`: `{digits}{short}` (units: {})",
                units()
            ));
        }
        let symbols: Vec<Symbol> = UNITS.iter().map(|(u, _)| *u).collect();
        return Err(suggest::unknown(
            "unit",
            unit,
            &format!("the duration `{digits}{unit}`"),
            &symbols,
        ));
    };
    if digits.contains(['e', 'E']) {
        return Err(format!(
            "write the duration `{digits}{unit}` without an exponent, as in `1500ms`"
        ));
    }
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let too_long = || format!("`{digits}{unit}` is longer than a `Duration` can hold");
    let whole: u128 = whole.parse().map_err(|_| too_long())?;
    let mut nanos = whole.checked_mul(per).ok_or_else(too_long)?;
    if !fraction.is_empty() {
        let scale = 10u128
            .checked_pow(fraction.len() as u32)
            .ok_or_else(|| format!("`{digits}{unit}` has more digits than a nanosecond needs"))?;
        let part: u128 = fraction.parse().map_err(|_| too_long())?;
        let exact = part * per;
        if !exact.is_multiple_of(scale) {
            return Err(format!(
                "`{digits}{unit}` is not a whole number of nanoseconds, the finest a `Duration` holds"
            ));
        }
        nanos = nanos.checked_add(exact / scale).ok_or_else(too_long)?;
    }
    if nanos / NANOS_PER_SEC > u128::from(u64::MAX) {
        return Err(too_long());
    }
    Ok(nanos)
}

fn units() -> String {
    let symbols: Vec<Symbol> = UNITS.iter().map(|(u, _)| *u).collect();
    suggest::one_of(&symbols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_scale() {
        assert_eq!(nanos("10", "ms"), Ok(10_000_000));
        assert_eq!(nanos("2", "s"), Ok(2_000_000_000));
        assert_eq!(nanos("1.5", "s"), Ok(1_500_000_000));
        assert_eq!(nanos("250", "us"), Ok(250_000));
        assert_eq!(nanos("7", "ns"), Ok(7));
        assert_eq!(nanos("2", "min"), Ok(120_000_000_000));
        assert_eq!(nanos("1", "h"), Ok(3_600_000_000_000));
    }

    #[test]
    fn malformed_durations_say_why() {
        assert!(nanos("10", "").unwrap_err().contains("needs a unit"));
        assert!(nanos("10", "sec").unwrap_err().contains("as `s`: `10s`"));
        assert!(nanos("5", "m").unwrap_err().contains("as `min`: `5min`"));
        assert!(
            nanos("10", "mss")
                .unwrap_err()
                .contains("did you mean `ms`?")
        );
        assert!(
            nanos("0.5", "ns")
                .unwrap_err()
                .contains("whole number of nanoseconds")
        );
        assert!(nanos("1e3", "ms").unwrap_err().contains("exponent"));
        assert!(
            nanos("99999999999999999999999", "h")
                .unwrap_err()
                .contains("longer")
        );
    }

    #[test]
    fn shown_as_written() {
        assert_eq!(show(10_000_000), "10ms");
        assert_eq!(show(1_500_000_000), "1500ms");
        assert_eq!(show(2_000_000_000), "2s");
        assert_eq!(show(1_000_000), "1ms");
        assert_eq!(show(120_000_000_000), "2min");
        assert_eq!(show(0), "0s");
    }
}
