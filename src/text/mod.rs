//! Text handling that every later stage shares: words (the tokenizer behind both indexed fields),
//! sentences and passages, and dates. Nothing here knows about files or the index.

pub mod dates;
pub mod passage;
pub mod tokenizer;
