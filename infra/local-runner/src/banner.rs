//! What `make run` prints once the stack is up: where everything is.

use crate::Stack;
use std::path::Path;

impl Stack {
    /// Tells the person at the terminal where everything is, and how to
    /// drive it (`local-runner run`).
    pub fn print_where(&self, endpoint: &str, sweep_every_secs: u64, sim_day: Option<std::time::Duration>) {
        println!("local AWS (moto) at {endpoint}");
        println!(
            "  add to the blocklist: cargo run -p local-runner -- blocklist add FILE --endpoint {endpoint}"
        );
        println!(
            "  pay an order or invoice: cargo run -p local-runner -- pay ORDER_OR_INVOICE_ID --endpoint {endpoint} --api {}",
            self.api_url
        );
        println!("upload-finalise is polling {}", self.resources.uploads_queue_url);
        println!("classify is polling {}", self.resources.image_events_queue_url);
        println!("print-dispatch is polling {}", self.resources.dispatch_queue_url);
        println!("export is polling {}", self.resources.exports_queue_url);
        println!(
            "notifier is polling {} (each email it sends is logged here too)",
            self.resources.notices_queue_url
        );
        println!(
            "  run a sweep for a day: cargo run -p local-runner -- sweep billing|retention|anniversary|archive|trash --date 2027-02-01 --endpoint {endpoint} --api {}",
            self.api_url
        );
        match sim_day {
            Some(d) => println!(
                "simulated clock: one day every {} s; the sweeps run for each new day",
                d.as_secs()
            ),
            None => println!(
                "the sweeps (billing, retention, anniversary, archive, trash) run every {sweep_every_secs} s for the current day"
            ),
        }
        println!(
            "  move the clock ahead by hand, sweeping each day (GET it to see where it is): curl -H 'content-type: application/json' -d '{{\"days\": 30}}' {}{}",
            self.api_url,
            crate::clock::PATH
        );
    }

    /// Where the customer web page is (or how to build it), and its local
    /// checkout.
    pub fn print_page(&self, web_dir: &Path) {
        println!("printvault web page at {}/", self.api_url);
        if !web_dir.join("index.html").is_file() {
            println!(
                "  the web page is not built ({} has no index.html): build it with `make web`, then reload; the API is served meanwhile",
                web_dir.display()
            );
        }
        println!(
            "  it pays at the local checkout, a stand-in for the payment provider (no money moves): {}{}?reference=ORDER_OR_INVOICE_ID",
            self.api_url,
            crate::checkout::PATH
        );
    }
}
