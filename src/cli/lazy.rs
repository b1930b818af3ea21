//! Deferred clap definitions: a command's arguments are built only when the
//! command line names that command (or help, completions and man pages need the
//! whole tree). Building every subcommand's arguments up front cost more than
//! half a millisecond of each `skiff run`, on a command that aims at ten.
//!
//! [`Lazy`] wraps the arguments of one command, [`LazyGroup`] a group of
//! subcommands; both deref to what they wrap, so handlers take `&RunArgs` as
//! before.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::builder::StyledStr;
use clap::{ArgMatches, Args, Command, Error, FromArgMatches, Subcommand};

/// Build everything at once: for docs and completions, which walk the whole
/// tree, and must see it exactly as declared (a deferred command gets the
/// global options before its own, and no `help` subtree).
static EAGER: AtomicBool = AtomicBool::new(false);

/// Build the whole tree up front from now on (see [`EAGER`]).
pub fn build_eagerly() {
    EAGER.store(true, Ordering::Relaxed);
}

fn eager() -> bool {
    EAGER.load(Ordering::Relaxed)
}

/// The arguments `T` of one command, added to it only when it is built.
#[derive(Debug, Clone)]
pub struct Lazy<T>(pub T);

/// A group of subcommands `T`, added to its parent only when the parent is built.
#[derive(Debug, Clone)]
pub struct LazyGroup<T>(pub T);

macro_rules! wrapper {
    ($name:ident) => {
        impl<T> Deref for $name<T> {
            type Target = T;
            fn deref(&self) -> &T {
                &self.0
            }
        }

        impl<T> DerefMut for $name<T> {
            fn deref_mut(&mut self) -> &mut T {
                &mut self.0
            }
        }

        impl<T: FromArgMatches> FromArgMatches for $name<T> {
            fn from_arg_matches(m: &ArgMatches) -> Result<Self, Error> {
                T::from_arg_matches(m).map(Self)
            }
            fn from_arg_matches_mut(m: &mut ArgMatches) -> Result<Self, Error> {
                T::from_arg_matches_mut(m).map(Self)
            }
            fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), Error> {
                self.0.update_from_arg_matches(m)
            }
            fn update_from_arg_matches_mut(&mut self, m: &mut ArgMatches) -> Result<(), Error> {
                self.0.update_from_arg_matches_mut(m)
            }
        }
    };
}

wrapper!(Lazy);
wrapper!(LazyGroup);

impl<T: Args> Args for Lazy<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
    fn augment_args(cmd: Command) -> Command {
        if eager() {
            T::augment_args(cmd)
        } else {
            cmd.defer(args_of::<T>)
        }
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        if eager() {
            T::augment_args_for_update(cmd)
        } else {
            cmd.defer(args_for_update_of::<T>)
        }
    }
}

/// `T`'s arguments added late, to a command whose help text is already set: a
/// struct's doc comment (a flattened one's too) sets `about`, and the command's
/// own doc comment, which comes after it when nothing is deferred, must still win.
fn args_of<T: Args>(cmd: Command) -> Command {
    let help = Help::of(&cmd);
    help.restore(T::augment_args(cmd))
}

fn args_for_update_of<T: Args>(cmd: Command) -> Command {
    let help = Help::of(&cmd);
    help.restore(T::augment_args_for_update(cmd))
}

fn subcommands_of<T: Subcommand>(cmd: Command) -> Command {
    let help = Help::of(&cmd);
    help.restore(T::augment_subcommands(cmd))
}

fn subcommands_for_update_of<T: Subcommand>(cmd: Command) -> Command {
    let help = Help::of(&cmd);
    help.restore(T::augment_subcommands_for_update(cmd))
}

/// A command's `about` and `long_about`.
struct Help(Option<StyledStr>, Option<StyledStr>);

impl Help {
    fn of(cmd: &Command) -> Help {
        Help(cmd.get_about().cloned(), cmd.get_long_about().cloned())
    }

    fn restore(self, cmd: Command) -> Command {
        let cmd = match self.0 {
            Some(about) => cmd.about(about),
            None => cmd.about(None::<&str>),
        };
        match self.1 {
            Some(long) => cmd.long_about(long),
            None => cmd.long_about(None::<&str>),
        }
    }
}

impl<T: Subcommand> Subcommand for LazyGroup<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        if eager() {
            T::augment_subcommands(cmd)
        } else {
            cmd.defer(subcommands_of::<T>)
        }
    }
    fn augment_subcommands_for_update(cmd: Command) -> Command {
        if eager() {
            T::augment_subcommands_for_update(cmd)
        } else {
            cmd.defer(subcommands_for_update_of::<T>)
        }
    }
    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}
