//! `dateline batch`: every query's counts equal what `search` gives for it, dates and top article are
//! those of its matches, a bad query is reported in its row while the others run, and the list may be
//! lines or a CSV's `query` column.

use serde::Deserialize;

use crate::util::{code, sample, stderr, stdout, Env};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    query: String,
    articles: Option<u64>,
    passages: Option<u64>,
    stories: Option<u64>,
    first_date: Option<String>,
    last_date: Option<String>,
    top_article: Option<String>,
    error: Option<String>,
    #[serde(default)]
    hits: Option<Vec<crate::util::Hit>>,
}

fn corpus(env: &Env) {
    sample(env);
    env.write(
        "2023/08/bazoum.txt",
        "date 2023-08-02 Mohamed Bazoum remained in custody in Niamey.\n\nECOWAS leaders met.\n",
    );
    env.write(
        "2023/09/bazoum.txt",
        "date 2023-09-14 Supporters of Mohamed Bazoum marched.\n",
    );
    env.write(
        "2023/06/other.txt",
        "date 2023-06-01 A man named Mohamed spoke; Bazoum was elsewhere.\n",
    );
}

#[test]
fn batch_rows_agree_with_search_and_bad_queries_stay_in_their_row() {
    let env = Env::new();
    corpus(&env);
    env.index_corpus();
    let list = env.write(
        "names.txt",
        "# people and places\n\"Mohamed Bazoum\"\nNiger\n\nZorblax\n\"unclosed\nECOWAS\n",
    );
    let out = env.run(&["batch", list.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 of 5 queries could not run"),
        "{}",
        stderr(&out)
    );
    let rows: Vec<Row> = serde_json::from_slice(&out.stdout).expect("json");
    let queries: Vec<&str> = rows.iter().map(|r| r.query.as_str()).collect();
    assert_eq!(
        queries,
        [
            "\"Mohamed Bazoum\"",
            "Niger",
            "Zorblax",
            "\"unclosed",
            "ECOWAS"
        ]
    );
    for row in &rows {
        if row.query == "\"unclosed" {
            assert!(row.error.as_deref().is_some_and(|e| !e.is_empty()));
            assert_eq!(
                (row.articles, row.passages, row.stories),
                (None, None, None)
            );
            continue;
        }
        assert_eq!(row.error, None, "{}", row.query);
        assert!(row.hits.is_none(), "no hits without --hits");
        // The counts and the top article are search's.
        let search = env.search_json(&[&row.query, "-n", "1"]);
        assert_eq!(row.articles, Some(search.total_articles), "{}", row.query);
        assert_eq!(row.passages, Some(search.total_passages), "{}", row.query);
        assert_eq!(row.stories, Some(search.total_stories), "{}", row.query);
        assert_eq!(
            row.top_article,
            search.hits.first().map(|h| h.article.clone()),
            "{}",
            row.query
        );
        // The dates span the matching articles' dates.
        let all = env.search_json(&[&row.query, "--all", "--copies", "show"]);
        let mut dates: Vec<String> = all.hits.iter().filter_map(|h| h.date.clone()).collect();
        dates.sort();
        assert_eq!(row.first_date, dates.first().cloned(), "{}", row.query);
        assert_eq!(row.last_date, dates.last().cloned(), "{}", row.query);
    }
    let bazoum = &rows[0];
    assert_eq!(bazoum.articles, Some(2));
    assert_eq!(
        (bazoum.first_date.as_deref(), bazoum.last_date.as_deref()),
        (Some("2023-08-02"), Some("2023-09-14"))
    );
    assert_eq!(rows[2].articles, Some(0));
    assert_eq!(
        (rows[2].first_date.as_ref(), rows[2].top_article.as_ref()),
        (None, None)
    );

    // Dates narrow every query as they narrow search.
    let out = env.run(&[
        "batch",
        list.to_str().expect("utf-8"),
        "--since",
        "2023-09",
        "--format",
        "jsonl",
    ]);
    let rows: Vec<Row> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].articles, Some(1));
    assert_eq!(rows[0].top_article.as_deref(), Some("2023/09/bazoum.txt"));
    let niger = env.search_json(&["Niger", "--since", "2023-09"]);
    assert_eq!(rows[1].articles, Some(niger.total_articles));

    // With --hits: the top hits of each query, as search ranks them.
    let out = env.run(&[
        "batch",
        list.to_str().expect("utf-8"),
        "--hits",
        "2",
        "--format",
        "json",
    ]);
    let rows: Vec<Row> = serde_json::from_slice(&out.stdout).expect("json");
    let niger = env.search_json(&["Niger", "-n", "2"]);
    let hits = rows[1].hits.as_ref().expect("hits");
    assert_eq!(
        hits.iter().map(|h| &h.article).collect::<Vec<_>>(),
        niger.hits.iter().map(|h| &h.article).collect::<Vec<_>>()
    );
    assert_eq!(
        rows[3].hits.as_ref().map(Vec::len),
        Some(0),
        "the bad query"
    );
}

#[test]
fn batch_reads_a_csv_column_and_writes_csv_with_one_row_per_hit() {
    let env = Env::new();
    corpus(&env);
    env.index_corpus();
    let list = env.write(
        "people.csv",
        "id,Query,note\n1,\"\"\"Mohamed Bazoum\"\"\",president\n2,Zorblax,nobody\n3,,empty\n",
    );
    let out = env.run(&["batch", list.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "query",
            "articles",
            "passages",
            "stories",
            "first_date",
            "last_date",
            "top_article",
            "error"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "\"Mohamed Bazoum\"");
    assert_eq!(&rows[0][1], "2");
    assert_eq!((&rows[1][1], &rows[1][4], &rows[1][6]), ("0", "", ""));

    // One row per hit, the query's columns first; a query without hits keeps one row.
    let out = env.run(&["batch", list.to_str().expect("utf-8"), "--hits", "5"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let search = env.search_json(&["\"Mohamed Bazoum\"", "-n", "5"]);
    let bazoum: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[0] == "\"Mohamed Bazoum\"")
        .collect();
    assert_eq!(bazoum.len(), search.hits.len());
    for (row, hit) in bazoum.iter().zip(&search.hits) {
        assert_eq!(&row[col("article")], hit.article);
        assert_eq!(row[col("rank")].parse::<usize>().ok(), Some(hit.rank));
    }
    let nobody: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "Zorblax").collect();
    assert_eq!(nobody.len(), 1);
    assert_eq!(&nobody[0][col("article")], "");

    // A CSV without a query column, a missing list, an empty one: one line, exit 2.
    let bad = env.write("bad.csv", "id,name\n1,Niger\n");
    let out = env.run(&["batch", bad.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no 'query' column (its columns: id, name)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    let out = env.run(&["batch", "missing.txt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.txt"), "{}", stderr(&out));
    let empty = env.write("empty.txt", "# nothing yet\n\n");
    let out = env.run(&["batch", empty.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("holds no query"), "{}", stderr(&out));
}
