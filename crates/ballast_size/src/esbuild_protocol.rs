//! esbuild's service packets (`lib/shared/stdio_protocol.ts` on its JS side): a little-endian u32 length, a u32
//! holding the request id shifted left with the low bit set on responses, then one tagged value.

/// One value of a packet, in the tags esbuild uses (0 null … 6 map).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i32),
    Str(String),
    Bytes(Vec<u8>),
    Array(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The entry `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Text sent either as a string or as bytes (esbuild versions differ in which they use for `code`).
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }
}

/// One decoded packet.
#[derive(Debug, PartialEq)]
pub struct Packet {
    pub id: u32,
    pub is_request: bool,
    pub value: Value,
}

/// The bytes of a packet, its length prefix included.
pub fn encode(id: u32, is_request: bool, value: &Value) -> Vec<u8> {
    let mut out = vec![0; 4];
    put_u32(&mut out, (id << 1) | u32::from(!is_request));
    put_value(&mut out, value);
    let len = (out.len() - 4) as u32;
    out[..4].copy_from_slice(&len.to_le_bytes());
    out
}

fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, bytes.len() as u32);
    out.extend_from_slice(bytes);
}

fn put_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(0),
        Value::Bool(b) => out.extend_from_slice(&[1, u8::from(*b)]),
        Value::Int(n) => {
            out.push(2);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Value::Str(s) => {
            out.push(3);
            put_bytes(out, s.as_bytes());
        }
        Value::Bytes(b) => {
            out.push(4);
            put_bytes(out, b);
        }
        Value::Array(items) => {
            out.push(5);
            put_u32(out, items.len() as u32);
            items.iter().for_each(|item| put_value(out, item));
        }
        Value::Map(entries) => {
            out.push(6);
            put_u32(out, entries.len() as u32);
            for (key, item) in entries {
                put_bytes(out, key.as_bytes());
                put_value(out, item);
            }
        }
    }
}

/// A packet's body (what follows its length prefix), or `None` when it is malformed.
pub fn decode(body: &[u8]) -> Option<Packet> {
    let mut reader = Reader { bytes: body, at: 0 };
    let tagged = reader.u32()?;
    let value = reader.value(0)?;
    (reader.at == body.len()).then_some(Packet { id: tagged >> 1, is_request: tagged & 1 == 0, value })
}

/// Deeper than any packet esbuild sends (messages with notes and locations): a corrupt stream cannot recurse far.
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len())?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Some(slice)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.u32()? as usize;
        self.take(n).map(<[u8]>::to_vec)
    }

    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?).ok()
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match self.u8()? {
            0 => Value::Null,
            1 => Value::Bool(self.u8()? != 0),
            2 => Value::Int(self.u32()? as i32),
            3 => Value::Str(self.string()?),
            4 => Value::Bytes(self.bytes()?),
            5 => {
                let n = self.u32()? as usize;
                // Each item takes at least one byte: a count past what is left is corrupt, not a huge allocation.
                let mut items = Vec::with_capacity(n.min(self.bytes.len() - self.at));
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::Array(items)
            }
            6 => {
                let n = self.u32()? as usize;
                let mut entries = Vec::with_capacity(n.min(self.bytes.len() - self.at));
                for _ in 0..n {
                    let key = self.string()?;
                    entries.push((key, self.value(depth + 1)?));
                }
                Value::Map(entries)
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_read_back_as_written() {
        let value = Value::Map(vec![
            ("command".into(), Value::Str("transform".into())),
            ("flags".into(), Value::Array(vec![Value::Str("--minify".into())])),
            ("inputFS".into(), Value::Bool(false)),
            ("input".into(), Value::Bytes(b"let x = 1".to_vec())),
            ("n".into(), Value::Int(-3)),
            ("none".into(), Value::Null),
        ]);
        let bytes = encode(7, true, &value);
        assert_eq!(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize, bytes.len() - 4);
        let packet = decode(&bytes[4..]).expect("decodes");
        assert_eq!(packet, Packet { id: 7, is_request: true, value });
        let response = decode(&encode(7, false, &Value::Null)[4..]).expect("decodes");
        assert!(!response.is_request);
        assert_eq!(response.id, 7);
    }

    #[test]
    fn malformed_packets_are_refused() {
        let bytes = encode(1, false, &Value::Str("abc".into()));
        // Cut short, trailing bytes, an unknown tag, a count larger than the packet.
        assert!(decode(&bytes[4..bytes.len() - 1]).is_none());
        assert!(decode(&[&bytes[4..], &[0]].concat()).is_none());
        assert!(decode(&[0, 0, 0, 0, 9]).is_none());
        assert!(decode(&[0, 0, 0, 0, 5, 255, 255, 255, 255]).is_none());
    }
}
