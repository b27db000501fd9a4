//! Turns file-system events into [`Changes`]: which content files, whether the theme, whether
//! book.toml.
//!
//! The watcher ignores what the build ignores, so that only a change to what goes into the site
//! rebuilds it: editors' swap, backup and lock files; anything reached through a symbolic link
//! (the build does not follow them; a link to a busy folder, such as one a log is written to,
//! would otherwise rebuild and reload every tab without end); and the output folder with the
//! files `accord build` keeps beside it, which the preview never reads.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use notify::event::{AccessKind, AccessMode};
use notify::{Config, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::incremental::Changes;
use crate::content::is_editor_temp;
use crate::error::{Error, Result};

pub struct Watch {
    watcher: RecommendedWatcher,
    root: PathBuf,
    themes: PathBuf,
    /// The content folder currently watched, when it exists.
    content: Option<PathBuf>,
    /// The output folder of `accord build`, never read by the preview.
    output: Option<PathBuf>,
    themes_watched: bool,
    /// A watched folder itself was created, removed or renamed: its watch must be set again.
    stale: bool,
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

impl Watch {
    pub fn new(root: &Path, tx: Sender<notify::Event>) -> Result<Watch> {
        let root = canonical(root);
        let handler = move |res: notify::Result<notify::Event>| match res {
            Ok(ev) => {
                let _ = tx.send(ev);
            }
            Err(e) => eprintln!("warning: watching files: {e}"),
        };
        // Not following links also keeps a link to `/` from setting a watch on every folder.
        let config = Config::default().with_follow_symlinks(false);
        let mut watcher = RecommendedWatcher::new(handler, config)
            .map_err(|e| Error::Other(format!("cannot watch files: {e}")))?;
        // The root itself, not recursively: book.toml, and content/ or themes/ appearing.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Other(format!("{}: cannot watch: {e}", root.display())))?;
        Ok(Watch {
            watcher,
            themes: root.join("themes"),
            root,
            content: None,
            output: None,
            themes_watched: false,
            stale: false,
        })
    }

    /// (Re)starts watching the content folder `dir` and the themes folder, and notes the output
    /// folder to ignore. Called after every build, since book.toml can point `src` and
    /// `build-dir` elsewhere and folders can be replaced.
    pub fn refresh(&mut self, content_dir: Option<&Path>, output_dir: Option<&Path>) {
        self.output = output_dir.map(canonical);
        let wanted = content_dir.map(canonical);
        if self.stale || wanted != self.content {
            if let Some(old) = self.content.take() {
                let _ = self.watcher.unwatch(&old);
            }
            if let Some(dir) = wanted.filter(|d| d.is_dir()) {
                match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => self.content = Some(dir),
                    Err(e) => eprintln!("warning: {}: cannot watch: {e}", dir.display()),
                }
            }
        }
        if self.stale || !self.themes_watched {
            if self.themes_watched {
                let _ = self.watcher.unwatch(&self.themes);
                self.themes_watched = false;
            }
            if self.themes.is_dir() {
                self.themes_watched = self
                    .watcher
                    .watch(&self.themes, RecursiveMode::Recursive)
                    .is_ok();
            }
        }
        self.stale = false;
    }

    /// What an event means for the build; empty when nothing that goes into the site changed.
    pub fn classify(&mut self, ev: &notify::Event) -> Changes {
        let mut out = Changes {
            // The kernel dropped events: nothing can be assumed about what changed.
            rescan: ev.need_rescan(),
            ..Changes::default()
        };
        if let EventKind::Access(a) = ev.kind {
            // Reads and opens change nothing; a file closed after writing may finish a save.
            if a != AccessKind::Close(AccessMode::Write) {
                return out;
            }
        }
        for p in &ev.paths {
            let temp = p
                .file_name()
                .is_some_and(|n| is_editor_temp(&n.to_string_lossy()));
            if self.content.as_deref() == Some(p.as_path()) || *p == self.themes {
                // The folder itself moved or vanished (a `git checkout`, a restore).
                self.stale = true;
                out.content.push(p.clone());
                out.theme |= *p == self.themes;
                continue;
            }
            if temp || self.is_output(p) || self.through_link(p) {
                continue;
            }
            if *p == self.root.join("book.toml") {
                out.config = true;
            } else if p.starts_with(&self.themes) {
                out.theme = true;
            } else if self.content.as_ref().is_some_and(|c| p.starts_with(c)) {
                out.content.push(p.clone());
            } else if p.parent() == Some(self.root.as_path()) && self.content.is_none() {
                // No content folder yet: any new folder in the root may be it.
                self.stale = true;
                out.content.push(p.clone());
            }
        }
        out
    }

    /// In the output folder, or one of the files `accord build` keeps beside it (its lock and
    /// the temporary folder of a build in progress). Not when the content lies inside the output
    /// folder: then the content is what counts.
    fn is_output(&self, p: &Path) -> bool {
        let Some(output) = &self.output else {
            return false;
        };
        if self.content.as_ref().is_some_and(|c| c.starts_with(output)) {
            return false;
        }
        if p.starts_with(output) {
            return true;
        }
        let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
            return false;
        };
        let beside = format!(".{}.accord-", name.to_string_lossy());
        p.strip_prefix(parent)
            .ok()
            .and_then(|rest| rest.components().next())
            .is_some_and(|first| first.as_os_str().to_string_lossy().starts_with(&beside))
    }

    /// Reached through a symbolic link below the content or themes folder: a backend that
    /// follows links anyway still reports nothing the build reads. A change to the link itself
    /// still counts.
    fn through_link(&self, p: &Path) -> bool {
        let base = [self.content.as_deref(), Some(self.themes.as_path())]
            .into_iter()
            .flatten()
            .find(|b| p.starts_with(b));
        let Some(base) = base else {
            return false;
        };
        p.ancestors()
            .skip(1)
            .take_while(|a| *a != base && a.starts_with(base))
            .any(|a| std::fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink()))
    }
}
