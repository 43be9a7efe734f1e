//! Durations as a person reads them in a log line: `2.31s`, `850ms`, not
//! `2.310044871s`.

use std::fmt;
use std::time::Duration;

/// A duration, displayed to the precision a log line needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Human(pub Duration);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_millis(1) {
            write!(f, "{}µs", d.as_micros())
        } else if d < Duration::from_secs(1) {
            write!(f, "{}ms", d.as_millis())
        } else if d < Duration::from_secs(10) {
            write!(f, "{:.2}s", d.as_secs_f64())
        } else if d < Duration::from_secs(120) {
            write!(f, "{:.1}s", d.as_secs_f64())
        } else {
            write!(f, "{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_follows_the_size() {
        let shown = |d| Human(d).to_string();
        assert_eq!(shown(Duration::from_micros(250)), "250µs");
        assert_eq!(shown(Duration::from_millis(850)), "850ms");
        assert_eq!(shown(Duration::from_nanos(2_310_044_871)), "2.31s");
        assert_eq!(shown(Duration::from_secs(30)), "30.0s");
        assert_eq!(shown(Duration::from_secs(185)), "3m05s");
    }
}
