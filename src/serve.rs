//! `accord serve`: build, serve over HTTP on loopback, watch, rebuild and reload.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::error::{Error, Result};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
}

pub fn serve(_opts: &ServeOptions) -> Result<()> {
    Err(Error::Other("serve: not built in this version".into()))
}
