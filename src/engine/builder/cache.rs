//! Step cache keys. A key is the sha256 of, length-prefixed: the key format
//! version, the parent state (config without history and timestamps, plus the
//! layer diff ids), the step kind, the instruction after expansion, the build
//! args the step sees, and for COPY/ADD a digest over every selected source's
//! destination path, type, mode, owner and content. Two steps share a key only
//! when all of these are equal, so a hit can never hand back a stale result.

use sha2::{Digest as _, Sha256};

use crate::engine::draft::Draft;
use crate::oci::Digest;

const VERSION: &str = "skiff-build-cache-v1";

/// Hashes the parts of a key.
pub struct Key(Sha256);

impl Key {
    /// A key for a step of `kind` over `parent`.
    pub fn new(parent: &Digest, kind: &str) -> Key {
        let mut k = Key(Sha256::new());
        k.add(VERSION.as_bytes());
        k.add(parent.to_string().as_bytes());
        k.add(kind.as_bytes());
        k
    }

    /// Add one part.
    pub fn add(&mut self, part: &[u8]) -> &mut Key {
        self.0.update((part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    /// Add a list of strings (with its length, so lists cannot run together).
    pub fn add_all<S: AsRef<str>>(&mut self, parts: &[S]) -> &mut Key {
        self.add(&(parts.len() as u64).to_le_bytes());
        for p in parts {
            self.add(p.as_ref().as_bytes());
        }
        self
    }

    pub fn finish(self) -> Digest {
        Digest::from_hasher(self.0)
    }
}

/// The identity of a build state: what the next step can observe of it.
pub fn state_id(draft: &Draft) -> Digest {
    let mut k = Key(Sha256::new());
    k.add(b"state");
    k.add(draft.config.state_json().as_bytes());
    let ids: Vec<String> = draft.layers.iter().map(|l| l.diff_id.to_string()).collect();
    k.add_all(&ids);
    k.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_their_parts() {
        let p = Digest::of(b"parent");
        let mut a = Key::new(&p, "RUN");
        a.add_all(&["ab", "c"]);
        let mut b = Key::new(&p, "RUN");
        b.add_all(&["a", "bc"]);
        assert_ne!(a.finish(), b.finish());
        let mut c = Key::new(&Digest::of(b"other"), "RUN");
        c.add_all(&["ab", "c"]);
        let mut d = Key::new(&p, "RUN");
        d.add_all(&["ab", "c"]);
        assert_ne!(c.finish(), d.finish());
    }

    #[test]
    fn state_ignores_history_but_not_config() {
        let mut a = Draft::scratch();
        let b = a.clone();
        a.add(None, "ENV x", None);
        assert_eq!(state_id(&a), state_id(&b));
        a.run_config().set_user("1".into());
        assert_ne!(state_id(&a), state_id(&b));
    }
}
