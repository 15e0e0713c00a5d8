//! Walking a `jsonc-parser` AST while collecting errors with positions.

use crate::error::{ConfigError, ConfigErrors, Position};
use ballast_common::{Diagnostic, DiagnosticCode};
use jsonc_parser::ast::{Object, ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

/// Byte offsets → 1-based line:column (columns in characters).
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self.text.get(start..offset).map(|s| s.chars().count()).unwrap_or(offset - start);
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

/// Errors and warnings found while reading one file.
pub(crate) struct Ctx<'t> {
    pub(crate) file: String,
    pub(crate) index: LineIndex<'t>,
    pub(crate) errors: Vec<ConfigError>,
    pub(crate) warnings: Vec<Diagnostic>,
}

impl<'t> Ctx<'t> {
    pub(crate) fn new(text: &'t str, file: &str) -> Self {
        Ctx { file: file.to_string(), index: LineIndex::new(text), errors: Vec::new(), warnings: Vec::new() }
    }

    pub(crate) fn pos(&self, node: &impl Ranged) -> Position {
        self.index.position(node.start())
    }

    pub(crate) fn error(&mut self, node: &impl Ranged, message: impl Into<String>, help: Option<String>) {
        let p = self.pos(node);
        self.errors.push(ConfigError {
            file: self.file.clone(),
            line: p.line,
            column: p.column,
            message: message.into(),
            help,
        });
    }

    pub(crate) fn warning(&mut self, node: &impl Ranged, message: impl Into<String>) {
        let p = self.pos(node);
        self.warnings.push(
            Diagnostic::warning(DiagnosticCode::InvalidConfig, message)
                .in_file(self.file.clone())
                .at(p.line, p.column),
        );
    }

    pub(crate) fn finish(mut self) -> Result<Vec<Diagnostic>, ConfigErrors> {
        if self.errors.is_empty() {
            Ok(self.warnings)
        } else {
            self.errors.sort_by_key(|e| (e.line, e.column));
            Err(ConfigErrors(self.errors))
        }
    }
}

/// Parses JSON with comments and trailing commas; a syntax error becomes one positioned `ConfigError`.
pub(crate) fn parse<'t>(text: &'t str, file: &str) -> Result<Value<'t>, ConfigErrors> {
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    };
    let index = LineIndex::new(text);
    let error_at = |offset: usize, message: String| {
        let p = index.position(offset);
        ConfigErrors(vec![ConfigError {
            file: file.to_string(),
            line: p.line,
            column: p.column,
            message,
            help: None,
        }])
    };
    let collect = CollectOptions { tokens: true, ..CollectOptions::default() };
    match parse_to_ast(text, &collect, &options) {
        Ok(result) => {
            let Some(value) = result.value else {
                return Err(error_at(0, "invalid JSON: the file is empty".to_string()));
            };
            // jsonc-parser accepts `[1 2]` and `{"a": 1 "b": 2}`; JSON (and editors) do not.
            let commas: Vec<usize> = result
                .tokens
                .unwrap_or_default()
                .iter()
                .filter(|t| matches!(t.token, Token::Comma))
                .map(|t| t.range.start)
                .collect();
            if let Some(offset) = missing_comma(&value, &commas) {
                return Err(error_at(offset, "invalid JSON: expected `,` before this value".to_string()));
            }
            Ok(value)
        }
        Err(e) => Err(error_at(e.range().start, format!("invalid JSON: {}", e.kind()))),
    }
}

/// The start of the first array element or object property not preceded by a comma.
fn missing_comma(value: &Value, commas: &[usize]) -> Option<usize> {
    let ranges: Vec<(usize, usize)> = match value {
        Value::Array(a) => a.elements.iter().map(|e| (e.start(), e.end())).collect(),
        Value::Object(o) => o.properties.iter().map(|p| (p.range.start, p.range.end)).collect(),
        _ => return None,
    };
    for pair in ranges.windows(2) {
        let (prev_end, next_start) = (pair[0].1, pair[1].0);
        let i = commas.partition_point(|&c| c < prev_end);
        if commas.get(i).is_none_or(|&c| c >= next_start) {
            return Some(next_start);
        }
    }
    let children: Vec<&Value> = match value {
        Value::Array(a) => a.elements.iter().collect(),
        Value::Object(o) => o.properties.iter().map(|p| &p.value).collect(),
        _ => Vec::new(),
    };
    children.into_iter().find_map(|c| missing_comma(c, commas))
}

/// A JSON type name for "expected X, found Y" messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::NullKeyword(_) => "null",
    }
}

/// The closest of `candidates` to `word`, if close enough to be a plausible typo: a small edit distance
/// (one edit per three characters, at least one) or a high Jaro-Winkler similarity.
pub(crate) fn nearest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let word = word.to_lowercase();
    let budget = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| {
            let lower = c.to_lowercase();
            (strsim::osa_distance(&word, &lower), strsim::jaro_winkler(&word, &lower), *c)
        })
        .filter(|(distance, similarity, _)| *distance <= budget || *similarity >= 0.85)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, c)| c)
}

pub(crate) fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    match nearest(word, candidates) {
        Some(c) => format!("did you mean `{c}`? "),
        None => String::new(),
    }
}

/// Properties of `object` whose keys are in `known`; reports unknown and duplicate keys as errors
/// (or as warnings when `unknown_is_warning`, for foreign formats).
pub(crate) fn known_props<'o, 'a>(
    ctx: &mut Ctx,
    object: &'o Object<'a>,
    what: &str,
    known: &[&str],
    unknown_is_warning: bool,
) -> Vec<&'o ObjectProp<'a>> {
    let mut seen: Vec<&str> = Vec::new();
    let mut props = Vec::new();
    for prop in &object.properties {
        let key = prop.name.as_str();
        if !known.contains(&key) {
            let message = format!("unknown key `{key}` in {what}");
            if unknown_is_warning {
                ctx.warning(&prop.name, format!("{message}; it is ignored"));
            } else {
                let help = format!("{}valid keys: {}", did_you_mean(key, known), known.join(", "));
                ctx.error(&prop.name, message, Some(help));
            }
            continue;
        }
        if seen.contains(&key) {
            ctx.error(&prop.name, format!("duplicate key `{key}` in {what}"), None);
            continue;
        }
        seen.push(key);
        props.push(prop);
    }
    props
}

pub(crate) fn expect_object<'v, 'a>(
    ctx: &mut Ctx,
    value: &'v Value<'a>,
    what: &str,
) -> Option<&'v Object<'a>> {
    match value {
        Value::Object(o) => Some(o),
        other => {
            ctx.error(other, format!("{what} must be an object, found {}", type_name(other)), None);
            None
        }
    }
}

pub(crate) fn expect_string(ctx: &mut Ctx, value: &Value, what: &str) -> Option<String> {
    match value {
        Value::StringLit(s) => Some(s.value.to_string()),
        other => {
            ctx.error(other, format!("{what} must be a string, found {}", type_name(other)), None);
            None
        }
    }
}

pub(crate) fn expect_bool(ctx: &mut Ctx, value: &Value, what: &str) -> Option<bool> {
    match value {
        Value::BooleanLit(b) => Some(b.value),
        other => {
            ctx.error(other, format!("{what} must be true or false, found {}", type_name(other)), None);
            None
        }
    }
}

/// A string that must be one of `allowed`.
pub(crate) fn expect_choice(ctx: &mut Ctx, value: &Value, what: &str, allowed: &[&str]) -> Option<String> {
    let s = expect_string(ctx, value, what)?;
    if allowed.contains(&s.as_str()) {
        Some(s)
    } else {
        let help = format!("{}use one of: {}", did_you_mean(&s, allowed), allowed.join(", "));
        ctx.error(value, format!("unknown {what} `{s}`"), Some(help));
        None
    }
}
