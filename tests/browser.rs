//! The pages in a real browser: Debian's Chromium (installed by `scripts/setup.sh --test`),
//! driven by playwright-core with axe-core (`tests/js/browse.mjs`), over one catalogue that
//! holds the demo federation, the shared Antwerp and Statbel exports and the portal-shaped
//! fixtures of `tests/fixtures/portals/` (HTML and Markdown descriptions, a theme scheme,
//! publishers named elsewhere, a hostile description). Every page type (home, search with
//! facets and the map, search by compatibility, records with an HTML, a Markdown, a
//! multilingual description and a bounding box, an LDT profile, a component assessed against
//! it, sources, SPARQL, not found),
//! at 1280 and 360 px: no axe-core violation of the WCAG 2.0/2.1 A and AA rules (any impact),
//! no console or page error, no dialog, no request to another origin, no horizontal scrolling
//! at 360 px. Keyboard only: Tab reaches the search box, a facet, the paging and a record, and
//! Enter opens it; the map's area list and the bbox field search by keyboard alone; dragging
//! on the map searches its area. With JavaScript off, every page answers, maps are drawn and
//! the area list, the bbox field and the facets search. The hostile description runs nothing
//! and fetches nothing, even when its links are clicked. Screenshots of every page type are
//! kept in `target/browser-screenshots/`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use ldtcat::catalog::Catalog;
use ldtcat_model::record_id;

/// The folder with `node_modules/playwright-core`: `LDTCAT_LDES_CLIENT` (the test clients'
/// folder), else `tests/js`.
fn clients_dir() -> PathBuf {
    let dir = std::env::var("LDTCAT_LDES_CLIENT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| common::repo_root().join("tests/js"));
    for package in ["playwright-core", "axe-core"] {
        assert!(
            dir.join("node_modules").join(package).exists(),
            "{} has no node_modules/{package}: run scripts/setup.sh --test (or scripts/test.sh) first",
            dir.display()
        );
    }
    dir
}

fn chromium() -> String {
    let path = std::env::var("LDTCAT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        std::path::Path::new(&path).exists(),
        "{path} is missing: run scripts/setup.sh --test (it installs Debian's chromium) first"
    );
    path
}

/// Every file of a folder, sorted.
fn files_in(folder: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// The demo federation, the Antwerp and Statbel exports and the portal fixtures.
fn catalogue(dir: &std::path::Path) -> Catalog {
    let catalog = Catalog::open(dir).expect("opens");
    let root = common::repo_root();
    for path in files_in(&root.join("harvest-config/demo-data")) {
        let source = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        let summary = common::import(&catalog, &[path], &source);
        assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    }
    let shared = common::shared_data().join("catalogues");
    for (file, source) in [
        ("antwerpen-datatank-2015.ttl", "antwerpen"),
        ("statbel-subset.ttl", "statbel"),
    ] {
        let summary = common::import(&catalog, &[shared.join(file)], source);
        assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    }
    let portals = root.join("tests/fixtures/portals");
    for (file, source) in [
        ("opendatasoft-export.ttl", "opendatasoft"),
        ("ckan-portal.ttl", "ckan"),
    ] {
        let summary = common::import(&catalog, &[portals.join(file)], source);
        assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    }
    catalog
}

/// An LDT profile of the demo federation: its record page and the search by compatibility.
const PROFILE: &str = "https://data.antibes.example/ldt/school-twin";

/// A component of the demo federation with requirements, assessed against [`PROFILE`].
const COMPONENT: &str = "https://data.antibes.example/visualisation/school-3d-cesium";

/// The area typed in the bbox field (around Antwerp).
const TYPED_BBOX: &str = "4.2,51.1,4.6,51.3";

/// Pages that draw an extent on a map (a record with a bounding box, a search by area).
const WITH_EXTENT: [&str; 2] = ["record-html-description", "search-area"];

/// Four numbers, west < east and south < north.
fn is_bbox(text: &str) -> bool {
    let numbers: Vec<f64> = text
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    numbers.len() == 4 && numbers[0] < numbers[2] && numbers[1] < numbers[3]
}

/// The map by keyboard (the area list and the bbox field) and by pointer (map.js).
fn map_problems(report: &serde_json::Value) -> Vec<String> {
    let mut problems = Vec::new();
    let keyboard = &report["mapKeyboard"];
    for step in ["summary", "opened", "list", "field"] {
        if keyboard[step] != true {
            problems.push(format!("map by keyboard: {step} not reached: {keyboard:#}"));
        }
    }
    let chosen = keyboard["chosen"].as_str().unwrap_or_default();
    if !is_bbox(chosen) || keyboard["searched"] != chosen {
        problems.push(format!(
            "map by keyboard: the chosen area was not searched: {keyboard:#}"
        ));
    }
    if keyboard["extentShown"] != 1 {
        problems.push(format!(
            "map by keyboard: the searched area is not drawn: {keyboard:#}"
        ));
    }
    if keyboard["typed"] != TYPED_BBOX {
        problems.push(format!(
            "map by keyboard: the typed area was not searched: {keyboard:#}"
        ));
    }
    let drag = &report["mapDrag"];
    if !is_bbox(drag["searched"].as_str().unwrap_or_default()) {
        problems.push(format!(
            "map by pointer: dragging searched no area: {drag:#}"
        ));
    }
    for part in [keyboard, drag] {
        for list in ["consoleErrors", "pageErrors", "dialogs", "foreignRequests"] {
            if part[list]
                .as_array()
                .is_some_and(|entries| !entries.is_empty())
            {
                problems.push(format!("map: {list}: {:#}", part[list]));
            }
        }
    }
    problems
}

/// The same pages with JavaScript off, and searching by area, bbox field and facet.
fn no_script_problems(report: &serde_json::Value) -> Vec<String> {
    let mut problems = Vec::new();
    let no_script = &report["noScript"];
    for page in no_script["pages"].as_array().cloned().unwrap_or_default() {
        let name = page["name"].as_str().unwrap_or_default();
        let expected_status = if name == "not-found" { 404 } else { 200 };
        if page["status"] != expected_status
            || page["heading"].as_str().unwrap_or_default().is_empty()
        {
            problems.push(format!("without JavaScript: {name}: {page:#}"));
        }
        if WITH_EXTENT.contains(&name) && page["extents"].as_u64().unwrap_or(0) == 0 {
            problems.push(format!(
                "without JavaScript: {name} draws no extent: {page:#}"
            ));
        }
    }
    if !is_bbox(no_script["area"].as_str().unwrap_or_default())
        || no_script["areaResults"].as_u64().unwrap_or(0) == 0
    {
        problems.push(format!(
            "without JavaScript: the area list finds nothing: {no_script:#}"
        ));
    }
    if no_script["typed"] != TYPED_BBOX {
        problems.push(format!(
            "without JavaScript: the bbox field does not search: {no_script:#}"
        ));
    }
    if no_script["facet"]["chips"].as_u64().unwrap_or(0) == 0 {
        problems.push(format!(
            "without JavaScript: a facet link filters nothing: {no_script:#}"
        ));
    }
    problems
}

fn page(name: &str, path: &str) -> serde_json::Value {
    serde_json::json!({ "name": name, "path": path })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_page_type_is_accessible_keyboard_usable_narrow_and_runs_no_harvested_script() {
    let clients = clients_dir();
    let chromium = chromium();
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = catalogue(dir.path());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("address");
    let base = format!("http://{address}");
    let site = ldtcat_serve::SiteSettings {
        title: "Browser test catalogue".to_owned(),
        public_base_url: base.clone(),
        ..ldtcat_serve::SiteSettings::default()
    };
    let state = common::app_state(&catalog, site);
    tokio::spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));

    let record = |iri: &str| format!("/resources/{}", record_id(iri));
    let screenshots = common::repo_root().join("target/browser-screenshots");
    let plan = serde_json::json!({
        "base": base,
        "chromium": chromium,
        "screenshots": screenshots,
        "maxTabs": 400,
        "keyboard": "/search",
        // The area chosen by typing its first letters in the area list, and one typed in the
        // bbox field.
        "mapKeyboard": { "letters": "Belg", "typed": TYPED_BBOX },
        "noScriptArea": "Belgium",
        "hostile": record("https://public.opendatasoft.com/explore/dataset/stationnement-velos/"),
        "pages": [
            page("home", "/"),
            page("home-fr", "/?lang=fr"),
            page("search", "/search"),
            page("search-query-facet", "/search?q=population&theme=https%3A%2F%2Fpublic.opendatasoft.com%2Fid%2Ftheme%2Fsant%C3%A9&lang=fr"),
            page("search-area", "/search?bbox=2.5,49.4,6.5,51.6&lang=nl"),
            page("search-antwerpen", "/search?source=antwerpen&page=2"),
            page("record-demo", &record("https://data.antibes.example/dataset/classroom-air-sensors")),
            page("record-antwerpen", &record("http://datasets.antwerpen.be/v4/public/gis/ziekenhuizen")),
            page("record-statbel-nl", &format!("{}?lang=nl", record("https://statbel.fgov.be/node/4151"))),
            page("record-html-description", &record("https://public.opendatasoft.com/explore/dataset/fetes-foraines/")),
            page("record-markdown-description", &format!("{}?lang=fr", record("https://ckan.example.org/dataset/recensement-2021"))),
            page("record-multilingual-de", &format!("{}?lang=de", record("https://ckan.example.org/dataset/mobilite-multilingue"))),
            page("search-compatible-it", &format!("/search?compatible_with={}&lang=it", record_id(PROFILE))),
            page("record-ldt-profile", &record(PROFILE)),
            page(
                "record-assessed-fr",
                &format!("{}?profile={}&lang=fr", record(COMPONENT), record_id(PROFILE)),
            ),
            page("sources", "/sources"),
            page("sparql", "/sparql"),
            page("not-found", "/no/such/page"),
        ],
    });
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).expect("writes the plan");

    let node = std::env::var("LDTCAT_NODE").unwrap_or_else(|_| "node".to_owned());
    let script = clients.join("browse.mjs");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(node)
            .current_dir(&clients)
            .arg(script)
            .arg(plan_path)
            .output()
            .expect("node runs")
    })
    .await
    .expect("joins");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "browse.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|error| panic!("browse.mjs printed no JSON ({error}): {stdout}"));

    std::fs::write(screenshots.join("report.json"), format!("{report:#}"))
        .expect("writes the report");
    let pages = report["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 18);
    // Every problem of every page, reported together.
    let mut problems: Vec<String> = Vec::new();
    for page in pages {
        let name = page["name"].as_str().unwrap_or_default();
        let expected_status = if name == "not-found" { 404 } else { 200 };
        if page["status"] != expected_status {
            problems.push(format!("{name}: status {}", page["status"]));
        }
        for list in [
            "violations",
            "consoleErrors",
            "pageErrors",
            "dialogs",
            "foreignRequests",
        ] {
            let entries = page[list].as_array().cloned().unwrap_or_default();
            // Chromium logs a 404 response as a console error: the not-found page's own.
            let unexpected: Vec<&serde_json::Value> = entries
                .iter()
                .filter(|entry| {
                    !(name == "not-found"
                        && list == "consoleErrors"
                        && entry.as_str().is_some_and(|e| e.contains("status of 404")))
                })
                .collect();
            if !unexpected.is_empty() {
                problems.push(format!("{name}: {list}: {:#}", page[list]));
            }
        }
        let passed = page["axePassed"].as_array().cloned().unwrap_or_default();
        if passed.len() != 2 || passed.iter().any(|n| n.as_u64().unwrap_or(0) < 10) {
            problems.push(format!(
                "{name}: axe-core did not run its rules at both widths: {passed:?}"
            ));
        }
        if page["overflow"].as_i64().unwrap_or(i64::MAX) > 1 {
            problems.push(format!(
                "{name}: scrolls sideways at 360 px by {} px: {:#}",
                page["overflow"], page["wide"]
            ));
        }
        if !screenshots.join(format!("{name}.png")).exists() {
            problems.push(format!("{name}: no screenshot"));
        }
    }
    let keyboard = &report["keyboard"];
    for target in ["search", "facet", "paging", "record"] {
        if keyboard["reached"][target] != true {
            problems.push(format!(
                "keyboard: Tab never reached the {target}: {keyboard:#}"
            ));
        }
    }
    if !keyboard["opened"]
        .as_str()
        .unwrap_or_default()
        .starts_with("/resources/")
    {
        problems.push(format!(
            "keyboard: Enter on a result did not open its record: {keyboard:#}"
        ));
    }
    problems.extend(map_problems(&report));
    problems.extend(no_script_problems(&report));
    let hostile = &report["hostile"];
    if hostile["status"] != 200 {
        problems.push(format!("hostile: status {}", hostile["status"]));
    }
    for list in ["dialogs", "foreignRequests", "pageErrors", "consoleErrors"] {
        if hostile[list].as_array().map_or(0, Vec::len) > 0 {
            problems.push(format!("hostile: {list}: {:#}", hostile[list]));
        }
    }
    let description = hostile["description"].as_str().unwrap_or_default();
    if !description.contains("le service vélo") {
        problems.push(format!(
            "hostile: the safe part is not shown: {description}"
        ));
    }
    for forbidden in [
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<img",
    ] {
        if description.to_ascii_lowercase().contains(forbidden) {
            problems.push(format!("hostile: {forbidden} in {description}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
