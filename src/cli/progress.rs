//! Pull and push progress: bars (indicatif) on a terminal, one line per finished step
//! otherwise (Podman's wording), nothing with `-q`.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::pull::PullProgress;
use crate::engine::push::PushProgress;
use crate::oci::{Digest, Platform, Reference};
use crate::registry::BlobPush;

/// How progress is shown.
pub enum Progress {
    Quiet,
    Lines,
    Bars {
        multi: MultiProgress,
        bars: Mutex<HashMap<Digest, ProgressBar>>,
    },
}

impl Progress {
    /// Bars when stderr is a terminal, lines otherwise, nothing when `quiet`.
    pub fn new(quiet: bool) -> Progress {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            Progress::Bars {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
                bars: Mutex::new(HashMap::new()),
            }
        } else {
            Progress::Lines
        }
    }

    /// Say a line (not in quiet mode), above the bars if any.
    pub fn say(&self, line: &str) {
        match self {
            Progress::Quiet => {}
            Progress::Lines => super::say_err(line),
            Progress::Bars { multi, .. } => {
                let _ = multi.println(line);
            }
        }
    }
}

impl PullProgress for Progress {
    fn resolved(&self, _reference: &Reference, _manifest: &Digest) {
        self.say("Getting image source signatures");
    }

    fn layer_start(&self, blob: &Digest, size: u64) {
        self.bar_for(blob, size);
    }

    fn layer_bytes(&self, blob: &Digest, bytes: u64) {
        if let Progress::Bars { bars, .. } = self {
            if let Some(bar) = bars.lock().ok().and_then(|b| b.get(blob).cloned()) {
                bar.inc(bytes);
            }
        }
    }

    fn layer_done(&self, blob: &Digest, skipped: bool) {
        let what = if skipped {
            "skipped: already exists"
        } else {
            "done"
        };
        self.finish_bar(blob, what);
    }

    fn config_done(&self, config: &Digest) {
        self.say(&format!("Copying config {} done", config.short()));
    }

    fn writing_manifest(&self) {
        self.say("Writing manifest to image destination");
    }

    fn short_name_picked(&self, input: &str, picked: &Reference, others: &[Reference]) {
        let others: Vec<String> = others.iter().map(|r| r.to_string()).collect();
        super::warn(&format!(
            "short name {input:?} matches several images: using {picked} (not {})",
            others.join(", ")
        ));
    }

    fn platform_mismatch(&self, image: &Platform, wanted: &Platform) {
        super::warn(&format!(
            "image platform ({image}) does not match the expected platform ({wanted})"
        ));
    }
}

impl Progress {
    fn bar_for(&self, blob: &Digest, size: u64) {
        if let Progress::Bars { multi, bars } = self {
            let bar = multi.add(ProgressBar::new(size));
            let style = ProgressStyle::with_template(
                "Copying blob {msg} [{bar:30}] {bytes} / {total_bytes} | {bytes_per_sec}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(blob.short().to_string());
            if let Ok(mut b) = bars.lock() {
                b.insert(blob.clone(), bar);
            }
        }
    }

    fn finish_bar(&self, blob: &Digest, what: &str) {
        match self {
            Progress::Quiet => {}
            Progress::Lines => super::say_err(&format!("Copying blob {} {what}", blob.short())),
            Progress::Bars { bars, .. } => {
                if let Some(bar) = bars.lock().ok().and_then(|b| b.get(blob).cloned()) {
                    bar.set_style(
                        ProgressStyle::with_template("Copying blob {msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    bar.finish_with_message(format!("{} {what}", blob.short()));
                }
            }
        }
    }
}

impl PushProgress for Progress {
    fn blob_start(&self, blob: &Digest, size: u64) {
        self.bar_for(blob, size);
    }

    fn blob_bytes(&self, blob: &Digest, bytes: u64) {
        PullProgress::layer_bytes(self, blob, bytes);
    }

    fn blob_done(&self, blob: &Digest, how: BlobPush) {
        let what = match how {
            BlobPush::Exists => "skipped: already exists",
            BlobPush::Mounted => "mounted from another repository",
            BlobPush::Uploaded => "done",
        };
        self.finish_bar(blob, what);
    }

    fn config_done(&self, config: &Digest, how: BlobPush) {
        let what = match how {
            BlobPush::Exists => "skipped: already exists",
            BlobPush::Mounted | BlobPush::Uploaded => "done",
        };
        self.say(&format!("Copying config {} {what}", config.short()));
    }

    fn writing_manifest(&self) {
        self.say("Writing manifest to image destination");
    }
}
