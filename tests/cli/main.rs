//! Integration tests: the built `dateline` binary, run in temp dirs, its output parsed and checked.

mod archives;
mod batch;
mod browser;
mod convert;
mod crash;
mod errors;
mod formats;
mod index;
mod layers;
mod model;
mod quickwit;
mod quickwit_reuters;
mod related;
mod reuters;
mod search;
mod serve;
mod show_info;
mod standin;
mod stories;
mod timeline;
mod util;
mod verify;
