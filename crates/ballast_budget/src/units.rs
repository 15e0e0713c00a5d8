//! Quantities in budget files: sizes (`B`, `kB`, `KiB`, `MB`, `MiB`), times (`ms`, `s`), percents, counts.

/// Size units and their factors in bytes. `kB`/`MB` are decimal (as bundlers print), `KiB`/`MiB` binary.
pub const SIZE_UNITS: [(&str, f64); 5] =
    [("B", 1.0), ("kB", 1000.0), ("KiB", 1024.0), ("MB", 1_000_000.0), ("MiB", 1_048_576.0)];
/// Time units and their factors in milliseconds.
pub const TIME_UNITS: [(&str, f64); 2] = [("ms", 1.0), ("s", 1000.0)];

/// A parsed quantity, before the context decides whether it fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Quantity {
    /// A bare number (JSON number, or a string without unit).
    Number(f64),
    Bytes(f64),
    Millis(f64),
    Percent(f64),
}

pub(crate) const UNITS_HELP: &str = "units are B, kB (1000 B), KiB (1024 B), MB (1000 kB), MiB (1024 KiB) for sizes; ms and s for times; % for percents";

/// Parses `"150 kB"`, `"2.5 s"`, `"10%"`, `"2000"`. The error is a message and a help line.
pub(crate) fn parse_quantity(text: &str) -> Result<Quantity, (String, Option<String>)> {
    let trimmed = text.trim();
    let number_end = trimmed
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-' || *c == '+'))
        .map(|(i, _)| i)
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(number_end);
    let unit = unit.trim();
    if number.is_empty() {
        return Err((
            format!("expected a number with a unit, found \"{text}\""),
            Some(format!("write it as \"150 kB\" or \"2.5 s\"; {UNITS_HELP}")),
        ));
    }
    let value: f64 = match number.parse() {
        Ok(v) => v,
        Err(_) => return Err((format!("`{number}` in \"{text}\" is not a number"), None)),
    };
    if !value.is_finite() {
        return Err((format!("`{number}` in \"{text}\" is not a finite number"), None));
    }
    if value < 0.0 {
        return Err((format!("\"{text}\" is negative; limits are zero or more"), None));
    }
    if unit.is_empty() {
        return Ok(Quantity::Number(value));
    }
    if unit == "%" {
        return Ok(Quantity::Percent(value));
    }
    if let Some((_, factor)) = SIZE_UNITS.iter().find(|(u, _)| *u == unit) {
        return Ok(Quantity::Bytes(value * factor));
    }
    if let Some((_, factor)) = TIME_UNITS.iter().find(|(u, _)| *u == unit) {
        return Ok(Quantity::Millis(value * factor));
    }
    let all: Vec<&str> = SIZE_UNITS.iter().chain(TIME_UNITS.iter()).map(|(u, _)| *u).collect();
    let hint = all
        .iter()
        .find(|u| u.eq_ignore_ascii_case(unit))
        .map(|u| format!(" (did you mean `{u}`?)"))
        .unwrap_or_default();
    Err((format!("unknown unit `{unit}` in \"{text}\"{hint}"), Some(UNITS_HELP.to_string())))
}

/// An allowed increase: `"10%"`, or a bare number, which is a percent too (`5` means 5%, in `ballast.json`'s
/// `baseline.maxIncrease` and in `--max-increase` alike), or a size such as `"5 kB"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Increase {
    Percent(f64),
    Bytes(u64),
}

impl Increase {
    /// The allowed growth in bytes over `base`.
    pub fn allowed(self, base: u64) -> u64 {
        match self {
            Increase::Percent(p) => (base as f64 * p / 100.0) as u64,
            Increase::Bytes(b) => b,
        }
    }
}

/// Parses an allowed increase; negative, NaN and infinite values are refused.
pub fn parse_increase(text: &str) -> Result<Increase, String> {
    match parse_quantity(text) {
        Ok(Quantity::Percent(p) | Quantity::Number(p)) => Ok(Increase::Percent(p)),
        Ok(Quantity::Bytes(b)) => Ok(Increase::Bytes(b.round() as u64)),
        Ok(Quantity::Millis(_)) => {
            Err(format!("\"{text}\" is a time; give a percent (\"10%\", or 10) or a size (\"5 kB\")"))
        }
        Err((message, help)) => Err(match help {
            Some(h) => format!("{message}; {h}"),
            None => message,
        }),
    }
}

/// A size for command-line flags: `"5 kB"`, `"1.5 MiB"`, or a byte count.
pub fn parse_size(text: &str) -> Result<u64, String> {
    match parse_quantity(text) {
        Ok(Quantity::Bytes(b)) | Ok(Quantity::Number(b)) => Ok(b.round() as u64),
        Ok(_) => Err(format!("\"{text}\" is not a size; {UNITS_HELP}")),
        Err((message, help)) => Err(match help {
            Some(h) => format!("{message}; {h}"),
            None => message,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_increase_is_a_percent_and_bad_numbers_are_refused() {
        assert_eq!(parse_increase("5"), Ok(Increase::Percent(5.0)));
        assert_eq!(parse_increase("5%"), Ok(Increase::Percent(5.0)));
        assert_eq!(parse_increase("5 kB"), Ok(Increase::Bytes(5000)));
        for bad in ["-5", "-5%", "NaN", "NaN%", "inf%", "1e999%", "2 s"] {
            assert!(parse_increase(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(Increase::Percent(10.0).allowed(1000), 100);
    }

    #[test]
    fn parses_every_unit() {
        assert_eq!(parse_quantity("12 B"), Ok(Quantity::Bytes(12.0)));
        assert_eq!(parse_quantity("150 kB"), Ok(Quantity::Bytes(150_000.0)));
        assert_eq!(parse_quantity("150kB"), Ok(Quantity::Bytes(150_000.0)));
        assert_eq!(parse_quantity("2 KiB"), Ok(Quantity::Bytes(2048.0)));
        assert_eq!(parse_quantity("1.5 MB"), Ok(Quantity::Bytes(1_500_000.0)));
        assert_eq!(parse_quantity("1 MiB"), Ok(Quantity::Bytes(1_048_576.0)));
        assert_eq!(parse_quantity("800 ms"), Ok(Quantity::Millis(800.0)));
        assert_eq!(parse_quantity("2.5 s"), Ok(Quantity::Millis(2500.0)));
        assert_eq!(parse_quantity("10%"), Ok(Quantity::Percent(10.0)));
        assert_eq!(parse_quantity(" 2000 "), Ok(Quantity::Number(2000.0)));
    }

    #[test]
    fn rejects_bad_units_with_a_hint() {
        let (message, help) = parse_quantity("150 KB").unwrap_err();
        assert_eq!(message, "unknown unit `KB` in \"150 KB\" (did you mean `kB`?)");
        assert!(help.unwrap().contains("KiB (1024 B)"));
        assert!(parse_quantity("kB").is_err());
        assert!(parse_quantity("-5 kB").is_err());
        assert!(parse_quantity("1.2.3 kB").is_err());
    }
}
