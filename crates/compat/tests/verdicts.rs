//! Every requirement group, each of the three verdicts, through the shipped rules: a profile,
//! adapter records and components written in Turtle, as a catalogue holds them.

use ldtcat_compat::{
    offers_of, requirements_of, AdapterRecord, Adapters, Assessment, Assessor, Category,
    CompatRules, Profile, Verdict,
};
use ldtcat_vocab::Kind;
use oxrdf::Triple;
use oxrdfio::{RdfFormat, RdfParser};

const PREFIXES: &str = "@prefix dct: <http://purl.org/dc/terms/> .\n\
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .\n\
@prefix ldt: <https://w3id.org/ldtcat#> .\n\
@prefix ldti: <https://w3id.org/ldtcat/interface/> .\n\
@prefix ldtd: <https://w3id.org/ldtcat/deployment/> .\n\
@prefix ldtc: <https://w3id.org/ldtcat/capability/> .\n\
@prefix dpv: <https://w3id.org/dpv#> .\n\
@prefix ex: <https://example.org/> .\n";

const PROFILE: &str = "ex:ldt a ldt:LdtProfile ; dct:title \"Test LDT\" ;
  ldt:holdsDataModel ex:ModelA ;
  ldt:exposesInterface ldti:ngsi-ld ;
  ldt:supportsProvenance ldtc:observation-timestamps ;
  ldt:supportsObservability ldtc:health-endpoint ;
  ldt:offersDeployment ldtd:self-hosted-container ;
  ldt:offersMemoryGiB 16 ;
  ldt:acceptsPolicy [ odrl:obligation [ odrl:action odrl:attribute ] ;
      odrl:prohibition [ odrl:action odrl:commercialize ] ] ;
  odrl:hasPolicy [ odrl:permission [ odrl:action odrl:aggregate ] ,
      [ odrl:action odrl:use ; odrl:duty [ odrl:action odrl:attribute ] ] ;
      odrl:prohibition [ odrl:action odrl:distribute ] ] .";

/// (IRI, kind, statements) of the adapter records.
const ADAPTERS: [(&str, Kind, &str); 6] = [
    ("ex:a2b", Kind::Workflow, "ex:a2b ldt:mapsFrom ex:ModelA ; ldt:mapsTo ex:ModelB ."),
    ("ex:bridge", Kind::Service, "ex:bridge ldt:bridgesFrom ldti:ngsi-ld ; ldt:bridgesTo ldti:sensorthings ."),
    ("ex:lineage", Kind::Service, "ex:lineage ldt:addsProvenance ldtc:prov-lineage ; ldt:addsObservability ldtc:metrics-endpoint ."),
    ("ex:hosting", Kind::Service, "ex:hosting ldt:hostsDeployment ldtd:saas ; ldt:offersGpu true ; ldt:offersMemoryGiB 64 ."),
    // A dataset is no adapter, whatever it says: the rules name workflows and services.
    ("ex:a2c-dataset", Kind::Dataset, "ex:a2c-dataset ldt:mapsFrom ex:ModelA ; ldt:mapsTo ex:ModelC ."),
    ("ex:ldt-hosting", Kind::Ldt, "ex:ldt-hosting ldt:hostsDeployment ldtd:on-premises ."),
];

fn parse(turtle: &str) -> Vec<Triple> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(format!("{PREFIXES}{turtle}").as_bytes())
        .map(|quad| Triple::from(quad.expect("test Turtle parses")))
        .collect()
}

fn expand(iri: &str) -> String {
    iri.replace("ex:", "https://example.org/")
}

fn adapters() -> Adapters {
    Adapters::new(ADAPTERS.iter().map(|(iri, kind, turtle)| {
        let iri = expand(iri);
        AdapterRecord {
            id: iri.clone(),
            title: iri.clone(),
            offers: offers_of(&iri, &parse(turtle)),
            iri,
            kind: *kind,
        }
    }))
}

/// The assessment of a component `ex:c` with these statements.
fn assess(statements: &str) -> Assessment {
    let rules = CompatRules::builtin().expect("rules load");
    let profile = Profile::from_triples(&parse(PROFILE), None).expect("profile");
    let adapters = adapters();
    let component = expand("ex:c");
    let requirements = requirements_of(&component, &parse(&format!("ex:c {statements} .")));
    assert!(
        !requirements.is_empty(),
        "no requirement read from {statements}"
    );
    Assessor::new(&rules, &profile, &adapters).assess(&requirements)
}

/// Asserts the component's verdict, its one requirement's group and the rule that decided.
fn check(statements: &str, category: Category, verdict: Verdict, rule: &str) {
    let assessment = assess(statements);
    assert_eq!(
        assessment.verdict,
        Some(verdict),
        "{statements}: {assessment:#?}"
    );
    let item = assessment
        .requirements
        .iter()
        .find(|item| item.verdict == verdict && item.requirement.form.category() == category)
        .unwrap_or_else(|| panic!("{statements}: no {category:?} requirement with {verdict}"));
    assert_eq!(
        item.rule,
        format!("https://w3id.org/ldtcat/compatibility-rule/{rule}"),
        "{statements}: {}",
        item.explanation
    );
    assert!(
        !item.explanation.contains('{'),
        "unfilled template: {}",
        item.explanation
    );
}

#[test]
fn data_models_held_converted_or_missing() {
    use Verdict::*;
    check(
        "ldt:consumesDataModel ex:ModelA",
        Category::DataModel,
        OutOfTheBox,
        "data-model-held",
    );
    check(
        "ldt:consumesDataModel ex:ModelB",
        Category::DataModel,
        LimitedAdaptations,
        "data-model-converted",
    );
    check(
        "ldt:consumesDataModel ex:ModelC",
        Category::DataModel,
        NotCompatible,
        "data-model-missing",
    );
    let converted = assess("ldt:consumesDataModel ex:ModelB");
    let item = &converted.requirements[0];
    assert_eq!(item.via.len(), 1, "the converter grounds the adaptation");
    assert_eq!(item.via[0].id, "https://example.org/a2b");
    assert!(
        item.explanation.contains("https://example.org/a2b"),
        "{}",
        item.explanation
    );
}

#[test]
fn interfaces_exposed_bridged_or_missing() {
    use Verdict::*;
    check(
        "ldt:requiresInterface ldti:ngsi-ld",
        Category::Interface,
        OutOfTheBox,
        "interface-exposed",
    );
    check(
        "ldt:requiresInterface ldti:sensorthings",
        Category::Interface,
        LimitedAdaptations,
        "interface-bridged",
    );
    check(
        "ldt:requiresInterface ldti:mqtt",
        Category::Interface,
        NotCompatible,
        "interface-missing",
    );
}

#[test]
fn provenance_and_observability_supported_added_or_missing() {
    use Verdict::*;
    let group = Category::ProvenanceObservability;
    check(
        "ldt:requiresProvenance ldtc:observation-timestamps",
        group,
        OutOfTheBox,
        "provenance-supported",
    );
    check(
        "ldt:requiresProvenance ldtc:prov-lineage",
        group,
        LimitedAdaptations,
        "provenance-added",
    );
    check(
        "ldt:requiresProvenance ldtc:quality-annotations",
        group,
        NotCompatible,
        "provenance-missing",
    );
    check(
        "ldt:requiresObservability ldtc:health-endpoint",
        group,
        OutOfTheBox,
        "observability-supported",
    );
    check(
        "ldt:requiresObservability ldtc:metrics-endpoint",
        group,
        LimitedAdaptations,
        "observability-added",
    );
    check(
        "ldt:requiresObservability ldtc:structured-logs",
        group,
        NotCompatible,
        "observability-missing",
    );
}

#[test]
fn policies_accepted_agreeable_under_obligation_or_refused() {
    use Verdict::*;
    let group = Category::Policy;
    check(
        "ldt:requiresInterface ldti:ngsi-ld ; odrl:hasPolicy [ odrl:permission [ odrl:action odrl:use ; odrl:duty [ odrl:action odrl:attribute ] ] ]",
        group, OutOfTheBox, "duty-accepted",
    );
    check(
        "ldt:requiresInterface ldti:ngsi-ld ; odrl:hasPolicy [ odrl:prohibition [ odrl:action odrl:commercialize ] ]",
        group, OutOfTheBox, "prohibition-accepted",
    );
    check(
        "ldt:demandsOfData [ odrl:permission [ odrl:action odrl:aggregate ] ]",
        group,
        OutOfTheBox,
        "data-use-permitted",
    );
    check(
        "ldt:demandsOfData [ odrl:permission [ odrl:action odrl:use ] ]",
        group,
        LimitedAdaptations,
        "data-use-under-duty",
    );
    // derive is included in use (odrl:includedIn), which is permitted under attribution.
    check(
        "ldt:demandsOfData [ odrl:permission [ odrl:action odrl:derive ] ]",
        group,
        LimitedAdaptations,
        "data-use-under-duty",
    );
    check(
        "ldt:demandsOfData [ odrl:permission [ odrl:action odrl:distribute ] ]",
        group,
        NotCompatible,
        "data-use-not-permitted",
    );
    check(
        "ldt:requiresInterface ldti:ngsi-ld ; odrl:hasPolicy [ odrl:permission [ odrl:action odrl:use ; odrl:duty [ odrl:action odrl:compensate ] ] ]",
        group, NotCompatible, "duty-refused",
    );
    check(
        "ldt:requiresInterface ldti:ngsi-ld ; odrl:hasPolicy [ odrl:permission [ odrl:action odrl:use ; odrl:constraint [ odrl:leftOperand odrl:purpose ; odrl:operator odrl:isA ; odrl:rightOperand dpv:NonCommercialPurpose ] ] ]",
        group, NotCompatible, "constraint-refused",
    );
    let under_duty = assess("ldt:demandsOfData [ odrl:permission [ odrl:action odrl:use ] ]");
    assert!(
        under_duty.requirements[0]
            .explanation
            .contains("odrl:attribute"),
        "the obligation is named: {}",
        under_duty.requirements[0].explanation
    );
}

#[test]
fn deployment_and_runtime_offered_hosted_or_impossible() {
    use Verdict::*;
    let group = Category::DeploymentRuntime;
    check(
        "ldt:deploymentModel ldtd:self-hosted-container , ldtd:on-premises",
        group,
        OutOfTheBox,
        "deployment-offered",
    );
    check(
        "ldt:deploymentModel ldtd:saas",
        group,
        LimitedAdaptations,
        "deployment-hosted",
    );
    // The only host of on-premises installations is a profile record, which is no adapter.
    check(
        "ldt:deploymentModel ldtd:on-premises",
        group,
        NotCompatible,
        "deployment-impossible",
    );
    check(
        "ldt:requiresMemoryGiB 8",
        group,
        OutOfTheBox,
        "memory-offered",
    );
    check(
        "ldt:requiresMemoryGiB 48",
        group,
        LimitedAdaptations,
        "memory-hosted",
    );
    check(
        "ldt:requiresMemoryGiB 256",
        group,
        NotCompatible,
        "memory-missing",
    );
    check(
        "ldt:requiresGpu true",
        group,
        LimitedAdaptations,
        "gpu-hosted",
    );
    assert!(
        requirements_of(
            "https://example.org/c",
            &parse("ex:c ldt:requiresGpu false .")
        )
        .is_empty(),
        "requiresGpu false is no requirement"
    );
}

#[test]
fn a_gpu_is_offered_by_the_profile_or_missing() {
    let rules = CompatRules::builtin().expect("rules");
    let profile = Profile::from_triples(
        &parse("ex:ldt a ldt:LdtProfile ; ldt:offersGpu true ."),
        None,
    )
    .expect("profile");
    let bare = Profile::from_triples(&parse("ex:ldt a ldt:LdtProfile ."), None).expect("profile");
    let requirements = requirements_of(
        "https://example.org/c",
        &parse("ex:c ldt:requiresGpu true ."),
    );
    let none = Adapters::default();
    let with_gpu = Assessor::new(&rules, &profile, &none).assess(&requirements);
    assert_eq!(with_gpu.verdict, Some(Verdict::OutOfTheBox));
    let without = Assessor::new(&rules, &bare, &none).assess(&requirements);
    assert_eq!(without.verdict, Some(Verdict::NotCompatible));
    assert!(without.requirements[0].rule.ends_with("gpu-missing"));
}

#[test]
fn the_component_verdict_is_the_worst_requirement_verdict() {
    let all = assess(
        "ldt:consumesDataModel ex:ModelA ; ldt:requiresInterface ldti:sensorthings ; ldt:requiresMemoryGiB 8",
    );
    assert_eq!(all.verdict, Some(Verdict::LimitedAdaptations));
    assert_eq!(all.requirements.len(), 3);
    let worst = assess("ldt:consumesDataModel ex:ModelA ; ldt:requiresInterface ldti:mqtt");
    assert_eq!(worst.verdict, Some(Verdict::NotCompatible));
}

#[test]
fn a_toml_profile_reads_like_its_rdf_form() {
    let toml = r#"
iri = "https://example.org/ldt"
title = "Test LDT"
holds_data_models = ["https://example.org/ModelA"]
exposes_interfaces = ["ldti:ngsi-ld"]
supports_provenance = ["ldtc:observation-timestamps"]
supports_observability = ["ldtc:health-endpoint"]
offers_deployment = ["ldtd:self-hosted-container"]
offers_memory_gib = 16
[accepts]
duties = ["odrl:attribute"]
prohibitions = ["odrl:commercialize"]
[data_policy]
prohibitions = ["odrl:distribute"]
[[data_policy.permissions]]
actions = ["odrl:aggregate"]
[[data_policy.permissions]]
actions = ["odrl:use"]
duties = ["odrl:attribute"]
"#;
    let from_toml = Profile::from_toml(toml).expect("TOML profile");
    let from_rdf = Profile::from_triples(&parse(PROFILE), None).expect("RDF profile");
    let rules = CompatRules::builtin().expect("rules");
    let adapters = adapters();
    for statements in [
        "ldt:consumesDataModel ex:ModelB",
        "ldt:requiresInterface ldti:mqtt",
        "ldt:demandsOfData [ odrl:permission [ odrl:action odrl:use ] ]",
        "ldt:requiresMemoryGiB 48",
        "ldt:requiresInterface ldti:ngsi-ld ; odrl:hasPolicy [ odrl:prohibition [ odrl:action odrl:commercialize ] ]",
    ] {
        let requirements =
            requirements_of("https://example.org/c", &parse(&format!("ex:c {statements} .")));
        let a = Assessor::new(&rules, &from_toml, &adapters).assess(&requirements);
        let b = Assessor::new(&rules, &from_rdf, &adapters).assess(&requirements);
        assert_eq!(a.verdict, b.verdict, "{statements}");
    }
    assert!(Profile::from_toml("iri = \"https://example.org/x\"\nunknown = 1").is_err());
    assert!(Profile::from_toml("iri = \"not an iri\"").is_err());
}

#[test]
fn the_shipped_example_profile_reads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../vocab/examples/ldt-profile.toml");
    let text = std::fs::read_to_string(&path).expect("example profile");
    let profile = Profile::from_toml(&text).expect("it parses");
    assert_eq!(profile.iri, "https://example.org/ldt/my-city");
    assert!(profile.accepts_term(
        "constraint http://www.w3.org/ns/odrl/2/purpose http://www.w3.org/ns/odrl/2/isA https://w3id.org/dpv#NonCommercialPurpose"
    ));
}

#[test]
fn usage_terms_alone_make_no_component() {
    let policy = "odrl:hasPolicy [ odrl:permission [ odrl:action odrl:use ; odrl:duty [ odrl:action odrl:attribute ] ] ]";
    let dataset = requirements_of("https://example.org/c", &parse(&format!("ex:c {policy} .")));
    assert!(dataset.is_empty(), "{dataset:?}");
    let profile = requirements_of("https://example.org/ldt", &parse(PROFILE));
    assert!(
        profile.is_empty(),
        "a profile's data policy is no requirement: {profile:?}"
    );
    let component = requirements_of(
        "https://example.org/c",
        &parse(&format!(
            "ex:c {policy} ; ldt:requiresInterface ldti:ngsi-ld ."
        )),
    );
    assert_eq!(component.len(), 2, "{component:?}");
}
