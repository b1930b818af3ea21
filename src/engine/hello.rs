//! The embedded `localhost/hello:latest` image: a static x86-64 program of some 250 bytes,
//! assembled here byte by byte, that prints a greeting and exits 0. A new store is
//! seeded with it so `skiff run --rm hello` works with no registry at all.

use serde_json::json;

use super::{Engine, EngineError};
use crate::archive::{self, IdPolicy, UnpackOptions};
use crate::oci::{media, Digest, Reference};
use crate::store::{ImageRecord, LayerRecord};

const MESSAGE: &[u8] = b"Hello from skiff!\nThis message shows that your installation appears to be working correctly.\n";
const CREATED: &str = "2026-01-01T00:00:00Z";
const LOAD_ADDR: u64 = 0x40_0000;
const HEADERS: usize = 64 + 56;

/// The program: an ELF64 header, one PT_LOAD segment, 33 bytes of code and the text.
pub fn program() -> Vec<u8> {
    let len = u32::try_from(MESSAGE.len()).unwrap_or(0);
    let mut code: Vec<u8> = Vec::new();
    code.extend([0xb8, 1, 0, 0, 0]); // mov eax, 1 (write)
    code.extend([0xbf, 1, 0, 0, 0]); // mov edi, 1 (stdout)
    code.extend([0x48, 0x8d, 0x35, 16, 0, 0, 0]); // lea rsi, [rip+16] (the text)
    code.push(0xba); // mov edx, len
    code.extend(len.to_le_bytes());
    code.extend([0x0f, 0x05]); // syscall
    code.extend([0xb8, 60, 0, 0, 0]); // mov eax, 60 (exit)
    code.extend([0x31, 0xff]); // xor edi, edi
    code.extend([0x0f, 0x05]); // syscall
    let total = (HEADERS + code.len() + MESSAGE.len()) as u64;
    let mut elf: Vec<u8> = Vec::with_capacity(total as usize);
    elf.extend([0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    elf.extend(2u16.to_le_bytes()); // ET_EXEC
    elf.extend(0x3eu16.to_le_bytes()); // EM_X86_64
    elf.extend(1u32.to_le_bytes());
    elf.extend((LOAD_ADDR + HEADERS as u64).to_le_bytes()); // entry
    elf.extend(64u64.to_le_bytes()); // phoff
    elf.extend(0u64.to_le_bytes()); // shoff
    elf.extend(0u32.to_le_bytes()); // flags
    for v in [64u16, 56, 1, 64, 0, 0] {
        elf.extend(v.to_le_bytes()); // ehsize, phentsize, phnum, shentsize, shnum, shstrndx
    }
    elf.extend(1u32.to_le_bytes()); // PT_LOAD
    elf.extend(5u32.to_le_bytes()); // R+X
    for v in [0, LOAD_ADDR, LOAD_ADDR, total, total, 0x1000] {
        elf.extend(v.to_le_bytes()); // offset, vaddr, paddr, filesz, memsz, align
    }
    elf.extend(code);
    elf.extend(MESSAGE);
    elf
}

/// The layer: one file, `/hello`, mode 0755, owned by root.
fn layer() -> Result<Vec<u8>, std::io::Error> {
    let prog = program();
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_size(prog.len() as u64);
    h.set_mode(0o755);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_767_225_600);
    h.set_entry_type(tar::EntryType::Regular);
    b.append_data(&mut h, "hello", prog.as_slice())?;
    b.into_inner()
}

/// Whether `input` names the embedded image (`hello`, `hello:latest`,
/// `localhost/hello[:latest]`): then it can be seeded again after a prune.
pub fn is_hello(input: &str) -> bool {
    let Ok(r) = input.parse::<Reference>() else {
        return false;
    };
    let r = if r.is_short() {
        r.with_domain("localhost")
    } else {
        r
    };
    r.digest().is_none() && r.tag() == Some("latest") && r.repository() == "localhost/hello"
}

/// Store the hello image and name it `localhost/hello:latest`. Only on x86-64.
pub fn seed(engine: &Engine) -> Result<(), EngineError> {
    if std::env::consts::ARCH != "x86_64" {
        return Ok(());
    }
    let store = &engine.store;
    let tar = layer().map_err(|e| EngineError::Process {
        step: "building the hello layer",
        source: e,
    })?;
    let diff_id = Digest::of(&tar);
    if !store.has_layer(&diff_id) {
        let (tmp, diff) = store.new_layer_dir()?;
        archive::unpack_layer(
            tar.as_slice(),
            &diff,
            &UnpackOptions {
                ids: IdPolicy::Squash,
            },
        )
        .map_err(|source| EngineError::Unpack {
            digest: diff_id.clone(),
            source,
        })?;
        let meta = json!({ "size": tar.len() }).to_string();
        let _ = std::fs::write(tmp.join("meta.json"), meta);
        store.commit_layer(&tmp, &diff_id)?;
    }
    store.put_blob_verified(&tar, &diff_id)?;
    let config = json!({
        "created": CREATED,
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["/hello"],
        },
        "rootfs": { "type": "layers", "diff_ids": [diff_id.to_string()] },
        "history": [{ "created": CREATED, "created_by": "skiff: embedded hello program" }],
    });
    let config = serde_json::to_vec(&config).unwrap_or_default();
    let config_digest = store.put_blob(&config)?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "config": { "mediaType": media::OCI_CONFIG, "digest": config_digest.to_string(), "size": config.len() },
        "layers": [{ "mediaType": media::OCI_LAYER_TAR, "digest": diff_id.to_string(), "size": tar.len() }],
    });
    let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
    let manifest_digest = store.put_blob(&manifest)?;
    let record = ImageRecord {
        id: config_digest.clone(),
        manifest: manifest_digest,
        manifest_media_type: media::OCI_MANIFEST.to_string(),
        index: None,
        config_size: config.len() as u64,
        layers: vec![LayerRecord {
            diff_id: diff_id.clone(),
            blob: diff_id,
            media_type: media::OCI_LAYER_TAR.to_string(),
            compressed_size: tar.len() as u64,
            size: tar.len() as u64,
        }],
        repo_digests: Vec::new(),
        added: super::now_secs(),
    };
    store.put_image(&record)?;
    let name: Reference = "localhost/hello:latest".parse()?;
    store.set_name(&name, &config_digest)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_is_a_small_elf() {
        let p = program();
        assert_eq!(&p[..4], b"\x7fELF");
        assert_eq!(p.len(), HEADERS + 33 + MESSAGE.len());
    }

    #[test]
    fn knows_its_names() {
        for n in [
            "hello",
            "hello:latest",
            "localhost/hello",
            "localhost/hello:latest",
        ] {
            assert!(is_hello(n), "{n}");
        }
        for n in [
            "hello:1",
            "docker.io/library/hello",
            "quay.io/hello",
            "hellox",
        ] {
            assert!(!is_hello(n), "{n}");
        }
    }
}
