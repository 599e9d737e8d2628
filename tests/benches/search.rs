//! Search benchmark (M14): a library of 100,000 images in moto, then pages of
//! searches through the HTTP API, reporting DynamoDB items read per result
//! returned (goal: at most 2) and the time per page.
//!
//! `make bench-search` (that is, `cargo bench -p integration-tests --bench search`)
//! runs it at full size. Under `cargo test` it runs a 600-image smoke test, so
//! the benchmark itself stays working. `SEARCH_BENCH_IMAGES=N` overrides the size.

use integration_tests::{ready_image_record, TestEnv};
use printvault_domain::access::Class;
use printvault_domain::ids::CustomerId;
use printvault_domain::image::{Attributes, Image};
use std::time::Instant;

fn synthetic(i: usize, owner: &CustomerId) -> Image {
    let class = match i % 10 {
        0..=3 => Class::Private,
        4..=7 => Class::Viewable,
        _ => Class::Printable,
    };
    let mut keywords = vec![];
    // Keywords land on every class, so each query mixes what a caller may
    // and may not see.
    if i % 100 == 5 || i % 100 == 42 {
        keywords.push("fuji".to_owned());
    }
    if i % 20 == 6 || i % 20 == 19 {
        keywords.push("sunset".to_owned());
    }
    let (y, m, d) = (2015 + i % 11, 1 + (i / 11) % 12, 1 + (i / 7) % 28);
    ready_image_record(
        owner,
        class,
        Attributes {
            taken_at: Some(format!("{y}-{m:02}-{d:02}T12:00:00")),
            keywords,
            ..Default::default()
        },
    )
}

struct Stats {
    pages: usize,
    results: usize,
    items: usize,
    rounds: usize,
    ms: Vec<f64>,
}

fn header(res: &reqwest::Response, name: &str) -> usize {
    res.headers()[name].to_str().unwrap().parse().unwrap()
}

async fn run(env: &TestEnv, token: Option<&str>, query: &str, max_pages: usize) -> Stats {
    let mut st = Stats {
        pages: 0,
        results: 0,
        items: 0,
        rounds: 0,
        ms: vec![],
    };
    let mut cursor: Option<String> = None;
    while st.pages < max_pages {
        let url = match &cursor {
            Some(c) => env.url(&format!("/v1/search?{query}&limit=20&cursor={c}")),
            None => env.url(&format!("/v1/search?{query}&limit=20")),
        };
        let mut req = env.http.get(url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let t0 = Instant::now();
        let res = req.send().await.expect("search answers");
        st.items += header(&res, "x-search-items-read");
        st.rounds += header(&res, "x-search-round-trips");
        let body: serde_json::Value = res.json().await.unwrap();
        st.ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        st.pages += 1;
        st.results += body["results"].as_array().unwrap().len();
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    st
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let n = integration_tests::bench_size("SEARCH_BENCH_IMAGES", 100_000, 600);
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let token = env.customer().await;
    let me = {
        let (_, p) = env
            .call(reqwest::Method::GET, "/v1/profile", Some(&token), None)
            .await;
        CustomerId::parse(p["customer_id"].as_str().unwrap()).unwrap()
    };
    let others: Vec<CustomerId> = (0..999).map(|_| CustomerId::generate()).collect();
    let index = env.stack.api_state.stores.search.clone();

    eprintln!("loading {n} images into moto's search index ...");
    let t0 = Instant::now();
    let chunk = 500;
    let mut loaded = 0;
    let images: Vec<Image> = (0..n)
        .map(|i| synthetic(i, if i % 1000 == 0 { &me } else { &others[i % 999] }))
        .collect();
    for part in images.chunks(chunk * 4) {
        let tasks: Vec<_> = part
            .chunks(chunk)
            .map(|c| {
                let index = index.clone();
                let c = c.to_vec();
                tokio::spawn(async move { index.put_public_and_own(&c).await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().expect("index load");
        }
        loaded += part.len();
        eprint!("\r  {loaded}/{n} images ({:.0} s)", t0.elapsed().as_secs_f64());
    }
    eprintln!("\nloaded in {:.1} s", t0.elapsed().as_secs_f64());

    // moto answers each Query by walking the whole table, so at full size a
    // page costs minutes there; the items read and the round trips are what
    // DynamoDB's cost and latency follow. Pages per query: SEARCH_BENCH_PAGES.
    let max_pages: usize = std::env::var("SEARCH_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 2 } else { 10 });
    println!("| query | caller | pages | results | items read | items/result | round trips/page | median ms/page (moto) |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (label, token, q) in [
        ("q=fuji (2% of images)", None, "q=fuji"),
        ("q=sunset (10%)", None, "q=sunset"),
        (
            "from=2020-03-01&to=2020-03-31",
            None,
            "from=2020-03-01&to=2020-03-31",
        ),
        ("no filter (newest first)", None, ""),
        ("q=fuji", Some(token.as_str()), "q=fuji"),
        ("q=sunset", Some(token.as_str()), "q=sunset"),
    ] {
        let s = run(&env, token, q, max_pages).await;
        let mut ms = s.ms.clone();
        ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let per = if s.results > 0 {
            s.items as f64 / s.results as f64
        } else {
            0.0
        };
        println!(
            "| {label} | {} | {} | {} | {} | {per:.2} | {:.1} | {:.0} |",
            if token.is_some() { "customer" } else { "anonymous" },
            s.pages,
            s.results,
            s.items,
            s.rounds as f64 / s.pages.max(1) as f64,
            ms.get(ms.len() / 2).copied().unwrap_or(0.0),
        );
        if !full {
            // A page reads at most one chunk (limit / partitions + 1 items) per
            // partition beyond its results: 20 + 5 × 5 = 45 items for 20, so
            // 2.25 is the worst case here; the ≤ 2 goal is measured at full
            // size (docs/benchmarks.md). Typical smoke runs read 1.35–1.75.
            assert!(s.results == 0 || per <= 2.25, "{label}: {per} items per result");
        }
    }
}
