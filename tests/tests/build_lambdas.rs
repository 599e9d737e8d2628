//! `make build-lambdas` builds every function the SAM template deploys:
//! the `--bin`s of its `cargo lambda build` are the template's binaries.

use std::collections::BTreeSet;

#[test]
fn make_build_lambdas_builds_every_function_the_template_deploys() {
    let template = integration_tests::template::load();
    let deployed: BTreeSet<String> = template["Resources"]
        .as_mapping()
        .expect("resources")
        .values()
        .filter(|r| r["Type"] == "AWS::Serverless::Function")
        .map(|r| {
            r["Metadata"]["BuildProperties"]["Binary"]
                .as_str()
                .expect("each function names its binary")
                .to_owned()
        })
        .collect();
    assert!(deployed.contains("retention-sweep"), "{deployed:?}");

    let makefile = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Makefile")).unwrap();
    let (_, target) = makefile
        .split_once("\nbuild-lambdas:")
        .expect("a build-lambdas target");
    // Its recipe: the tab-indented lines after the target line (a long
    // command continued over several).
    let recipe: Vec<&str> = target
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with('\t'))
        .collect();
    assert!(recipe.iter().any(|l| l.contains("lambda build")), "{recipe:?}");
    let words: Vec<&str> = recipe.iter().flat_map(|l| l.split_whitespace()).collect();
    let built: BTreeSet<String> = words
        .windows(2)
        .filter(|w| w[0] == "--bin")
        .map(|w| w[1].to_owned())
        .collect();
    assert_eq!(
        built, deployed,
        "make build-lambdas builds {built:?}; the template deploys {deployed:?}"
    );
}
