//! Property test: random sequences of added, changed and deleted files and re-index runs (with and
//! without `--keep-missing`) leave the index equal to a model of the corpus: same article ids, each
//! article whole and at its latest version.

use dateline::index::{index_corpus, IndexRequest};
use proptest::prelude::*;

use crate::crash::{index_model, Corpus, Model};

#[derive(Debug, Clone)]
enum Op {
    Add,
    Change(usize),
    Delete(usize),
    Index { keep_missing: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Add),
        3 => any::<usize>().prop_map(Op::Change),
        2 => any::<usize>().prop_map(Op::Delete),
        2 => any::<bool>().prop_map(|keep_missing| Op::Index { keep_missing }),
    ]
}

fn nth_id(corpus: &Corpus, i: usize) -> Option<String> {
    let n = corpus.model.len();
    (n > 0)
        .then(|| corpus.model.keys().nth(i % n).cloned())
        .flatten()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn re_index_runs_match_a_model_of_the_corpus(seed in any::<u64>(), ops in prop::collection::vec(op(), 1..16)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut corpus = Corpus::new(dir.path().join("corpus"), seed, 5);
        let index = dir.path().join("idx");
        // What the index should hold: the corpus as of the last run, plus kept articles.
        let mut expected = Model::new();
        for op in ops.iter().cloned().chain([Op::Index { keep_missing: false }]) {
            match op {
                Op::Add => {
                    corpus.add();
                }
                Op::Change(i) => {
                    if let Some(id) = nth_id(&corpus, i) {
                        corpus.write(&id);
                    }
                }
                Op::Delete(i) => {
                    if let Some(id) = nth_id(&corpus, i) {
                        corpus.remove(&id);
                    }
                }
                Op::Index { keep_missing } => {
                    let request = IndexRequest {
                        keep_missing,
                        ..IndexRequest::new(vec![corpus.dir.clone()], 1)
                    };
                    let mut report = index_corpus(&index, &request, |_| {});
                    // The writer lock is a flock on a file: other tests of this process fork
                    // children, and a child forked while the previous run still held the lock keeps
                    // it until it execs. That brief hold is not a second writer: try again.
                    for _ in 0..50 {
                        if !matches!(report, Err(dateline::error::Error::Locked(_))) {
                            break;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        report = index_corpus(&index, &request, |_| {});
                    }
                    prop_assert!(report.is_ok(), "{:?}", report.err());
                    if !keep_missing {
                        expected.clear();
                    }
                    expected.extend(corpus.model.clone());
                    prop_assert_eq!(index_model(&index), Ok(expected.clone()), "after {:?}", op);
                }
            }
        }
    }
}
