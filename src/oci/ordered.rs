//! [`Ordered`]: a typed JSON object that remembers the key order and the
//! explicit `null`s of the object it was parsed from, so that serializing it
//! again gives the same JSON (see [`super::config`] for why that matters).
//!
//! Invariants: keys of the parsed object come out in their order; a key set
//! through the typed setters keeps its place or goes last; a removed key takes
//! the last key into its place, as `serde_json::Map::swap_remove` does; a field
//! that is `None` comes out as `null` only when it was (or was set to) `null`.

use std::ops::{Deref, DerefMut};

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Key order and explicit `null`s of one JSON object, as parsed and as changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    order: Vec<String>,
    nulls: Vec<String>,
}

impl Layout {
    /// `key` was set: it keeps its place, or goes last.
    pub(super) fn touch(&mut self, key: &str) {
        if !self.order.iter().any(|k| k == key) {
            self.order.push(key.to_string());
        }
        self.nulls.retain(|k| k != key);
    }

    /// `key` was set to `null`.
    pub(super) fn set_null(&mut self, key: &str) {
        self.touch(key);
        self.nulls.push(key.to_string());
    }

    /// `key` was removed: the last key takes its place.
    pub(super) fn remove(&mut self, key: &str) {
        if let Some(i) = self.order.iter().position(|k| k == key) {
            self.order.swap_remove(i);
        }
        self.nulls.retain(|k| k != key);
    }

    /// Whether `key` is an explicit `null`.
    pub(super) fn is_null(&self, key: &str) -> bool {
        self.nulls.iter().any(|k| k == key)
    }

    /// `fields` (what the typed value serializes to) in this layout's order.
    fn arrange(&self, mut fields: Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for k in &self.order {
            if let Some(v) = fields.shift_remove(k) {
                out.insert(k.clone(), v);
            } else if self.is_null(k) {
                out.insert(k.clone(), Value::Null);
            }
        }
        out.extend(fields);
        out
    }
}

/// A typed JSON object with its [`Layout`]: dereferences to the value; serializes
/// in the order it was parsed (see the module docs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ordered<T> {
    pub(super) value: T,
    pub(super) layout: Layout,
}

impl<T> Ordered<T> {
    /// `value` with keys in the order its type declares them.
    pub fn new(value: T) -> Ordered<T> {
        Ordered {
            value,
            layout: Layout::default(),
        }
    }
}

impl<T> Deref for Ordered<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Ordered<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(d)?;
        let layout = Layout {
            order: map.keys().cloned().collect(),
            nulls: map
                .iter()
                .filter(|(_, v)| v.is_null())
                .map(|(k, _)| k.clone())
                .collect(),
        };
        let value = T::deserialize(Value::Object(map)).map_err(D::Error::custom)?;
        Ok(Ordered { value, layout })
    }
}

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        match serde_json::to_value(&self.value).map_err(S::Error::custom)? {
            Value::Object(fields) => self.layout.arrange(fields).serialize(s),
            other => other.serialize(s),
        }
    }
}
