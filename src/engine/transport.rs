//! Local transports for `pull` and `push`, as podman and skopeo name them:
//! `oci:DIR`, `oci-archive:FILE` and `docker-archive:FILE`. Pulling from one is
//! loading it (every image it holds, each checked before anything is stored);
//! pushing to one is saving the image in that format.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::load::{self, Loaded};
use super::save::{self, SaveFormat};
use super::{Engine, EngineError};

/// Where an image is read from or written to when it is not a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// An OCI image layout directory.
    OciDir(PathBuf),
    /// A tar of an OCI image layout.
    OciArchive(PathBuf),
    /// `docker save`'s tar.
    DockerArchive(PathBuf),
}

impl Transport {
    /// The transport `s` names, or `None` for a registry reference.
    pub fn parse(s: &str) -> Option<Transport> {
        let (kind, path) = s.split_once(':')?;
        let path = PathBuf::from(path);
        match kind {
            "oci" => Some(Transport::OciDir(path)),
            "oci-archive" => Some(Transport::OciArchive(path)),
            "docker-archive" => Some(Transport::DockerArchive(path)),
            _ => None,
        }
    }

    fn path(&self) -> &Path {
        match self {
            Transport::OciDir(p) | Transport::OciArchive(p) | Transport::DockerArchive(p) => p,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
    move |source| EngineError::CopyFile {
        path: path.to_path_buf(),
        source,
    }
}

/// Load every image `t` holds.
pub fn pull_from(engine: &Engine, t: &Transport) -> Result<Vec<Loaded>, EngineError> {
    match t {
        Transport::OciArchive(p) | Transport::DockerArchive(p) => {
            let f = std::fs::File::open(p).map_err(io_err(p))?;
            load::load(engine, f)
        }
        Transport::OciDir(dir) => {
            if !dir.join("index.json").is_file() {
                return Err(EngineError::NotOciLayout(dir.clone()));
            }
            // The loader reads archives: feed it the layout as a tar, streamed.
            let (r, w) = std::io::pipe().map_err(io_err(dir))?;
            let root = dir.clone();
            let writer = std::thread::spawn(move || tar_dir(&root, w));
            let loaded = load::load(engine, r);
            let written = writer
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the layout reader panicked")));
            match (loaded, written) {
                (Ok(l), _) => Ok(l),
                // A read error of the layout explains a truncated stream best.
                (Err(_), Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(io_err(dir)(e))
                }
                (Err(e), _) => Err(e),
            }
        }
    }
}

/// Write `dir`'s regular files (an OCI layout: index.json, oci-layout, blobs/…)
/// as a tar with paths relative to `dir`.
fn tar_dir(dir: &Path, out: impl Write) -> std::io::Result<()> {
    let mut tar = tar::Builder::new(out);
    tar.follow_symlinks(false);
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries: Vec<_> =
            std::fs::read_dir(dir.join(&rel))?.collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let rel = rel.join(e.file_name());
            let kind = e.file_type()?;
            if kind.is_dir() {
                stack.push(rel);
            } else if kind.is_file() {
                tar.append_path_with_name(dir.join(&rel), &rel)?;
            }
        }
    }
    tar.into_inner()?.flush()
}

/// Save `image` to `t`.
pub fn push_to(engine: &Engine, image: &str, t: &Transport) -> Result<(), EngineError> {
    let images = [image.to_string()];
    let (format, file) = match t {
        Transport::OciDir(dir) => return save::save_oci_dir(engine, &images, dir),
        Transport::OciArchive(p) => (SaveFormat::OciArchive, p),
        Transport::DockerArchive(p) => (SaveFormat::DockerArchive, p),
    };
    // Written beside the target and renamed: a failed push leaves no half file.
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "archive".into());
    let tmp = parent.join(format!(".{name}.skiff-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io_err(&tmp))?);
        save::save_archive(engine, &images, format, &mut f)?;
        f.into_inner()
            .map_err(|e| io_err(&tmp)(e.into_error()))?
            .sync_all()
            .map_err(io_err(&tmp))?;
        std::fs::rename(&tmp, t.path()).map_err(io_err(t.path()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            Transport::parse("oci:/tmp/l"),
            Some(Transport::OciDir("/tmp/l".into()))
        );
        assert_eq!(
            Transport::parse("oci-archive:a.tar"),
            Some(Transport::OciArchive("a.tar".into()))
        );
        assert_eq!(
            Transport::parse("docker-archive:/x/d.tar"),
            Some(Transport::DockerArchive("/x/d.tar".into()))
        );
        assert_eq!(Transport::parse("localhost:5000/x"), None);
        assert_eq!(Transport::parse("busybox"), None);
    }

    #[test]
    fn layout_as_tar() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("blobs/sha256")).unwrap();
        std::fs::write(d.path().join("index.json"), b"{}").unwrap();
        std::fs::write(d.path().join("blobs/sha256/ab"), b"x").unwrap();
        let mut out = Vec::new();
        tar_dir(d.path(), &mut out).unwrap();
        let mut names: Vec<String> = tar::Archive::new(&out[..])
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["blobs/sha256/ab", "index.json"]);
    }
}
