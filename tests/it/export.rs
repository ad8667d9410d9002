//! `privcheck export`: NIST OSCAL assessment results and MITRE SAF attestations, from the
//! real binary.

use crate::support::teams::*;
use crate::support::*;
use privcheck::model::results::Status;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn export(home: &Path, format: &str, file: &Path, extra: &[&str]) -> std::process::Output {
    privcheck(home).arg("export").arg("--format").arg(format).arg(file).args(extra).output().unwrap()
}

fn oscal(home: &Path, file: &Path) -> (String, Value) {
    let o = export(home, "oscal", file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let text = stdout(&o);
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON: {e}\n{text}"));
    (text, v)
}

// ---------------------------------------------------------------------------
// The OSCAL 1.1.2 assessment-results JSON schema, for the object types privcheck emits:
// each type's REQUIRED properties, and every property it ALLOWS (the schema says
// "additionalProperties": false everywhere).
//
//   assessment-results  required: uuid, metadata, import-ap, results
//   metadata            required: title, last-modified, version, oscal-version
//   import-ap           required: href
//   result              required: uuid, title, description, start, reviewed-controls
//   reviewed-controls   required: control-selections (at least one)
//   control-selection   required: (none)
//   finding             required: uuid, title, description, target
//   finding target      required: type, target-id, status  (type: statement-id | objective-id)
//   target status       required: state  (state: satisfied | not-satisfied)
//   observation         required: uuid, description, methods, collected
//   relevant-evidence   required: description
//   risk                required: uuid, title, description, statement, status
//   response            required: uuid, lifecycle, title, description
//   property            required: name, value
//   related-observation required: observation-uuid
//   related-risk        required: risk-uuid
//   back-matter         required: (none); resource required: uuid
//
// And the datatypes: UUIDs are v4 or v5 (`[45]` in the version nibble, `[89ab]` variant);
// date-times carry a time zone; tokens match `^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`; strings
// (property values, versions) have no leading or trailing white space; titles (markup-line)
// are one non-empty line; every array is non-empty (minItems 1).
// ---------------------------------------------------------------------------

struct Shape {
    required: &'static [&'static str],
    allowed: &'static [&'static str],
}

const ASSESSMENT_RESULTS: Shape = Shape {
    required: &["uuid", "metadata", "import-ap", "results"],
    allowed: &["uuid", "metadata", "import-ap", "local-definitions", "results", "back-matter"],
};
const METADATA: Shape = Shape {
    required: &["title", "last-modified", "version", "oscal-version"],
    allowed: &[
        "title",
        "published",
        "last-modified",
        "version",
        "oscal-version",
        "revisions",
        "document-ids",
        "props",
        "links",
        "roles",
        "locations",
        "parties",
        "responsible-parties",
        "actions",
        "remarks",
    ],
};
const IMPORT_AP: Shape = Shape { required: &["href"], allowed: &["href", "remarks"] };
const RESULT: Shape = Shape {
    required: &["uuid", "title", "description", "start", "reviewed-controls"],
    allowed: &[
        "uuid",
        "title",
        "description",
        "props",
        "links",
        "start",
        "end",
        "local-definitions",
        "reviewed-controls",
        "attestations",
        "assessment-log",
        "observations",
        "risks",
        "findings",
        "remarks",
    ],
};
const REVIEWED_CONTROLS: Shape = Shape {
    required: &["control-selections"],
    allowed: &["description", "props", "links", "control-selections", "control-objective-selections", "remarks"],
};
const CONTROL_SELECTION: Shape = Shape {
    required: &[],
    allowed: &["description", "props", "links", "include-all", "include-controls", "exclude-controls", "remarks"],
};
const FINDING: Shape = Shape {
    required: &["uuid", "title", "description", "target"],
    allowed: &[
        "uuid",
        "title",
        "description",
        "props",
        "links",
        "origins",
        "target",
        "implementation-statement-uuid",
        "related-observations",
        "related-risks",
        "remarks",
    ],
};
const TARGET: Shape = Shape {
    required: &["type", "target-id", "status"],
    allowed: &[
        "type",
        "target-id",
        "title",
        "description",
        "props",
        "links",
        "status",
        "implementation-status",
        "remarks",
    ],
};
const TARGET_STATUS: Shape = Shape { required: &["state"], allowed: &["state", "reason", "remarks"] };
const OBSERVATION: Shape = Shape {
    required: &["uuid", "description", "methods", "collected"],
    allowed: &[
        "uuid",
        "title",
        "description",
        "props",
        "links",
        "methods",
        "types",
        "origins",
        "subjects",
        "relevant-evidence",
        "collected",
        "expires",
        "remarks",
    ],
};
const RELEVANT_EVIDENCE: Shape =
    Shape { required: &["description"], allowed: &["href", "description", "props", "links", "remarks"] };
const RISK: Shape = Shape {
    required: &["uuid", "title", "description", "statement", "status"],
    allowed: &[
        "uuid",
        "title",
        "description",
        "statement",
        "props",
        "links",
        "status",
        "origins",
        "threat-ids",
        "characterizations",
        "mitigating-factors",
        "deadline",
        "remediations",
        "risk-log",
        "related-observations",
    ],
};
const RESPONSE: Shape = Shape {
    required: &["uuid", "lifecycle", "title", "description"],
    allowed: &[
        "uuid",
        "lifecycle",
        "title",
        "description",
        "props",
        "links",
        "origins",
        "required-assets",
        "tasks",
        "remarks",
    ],
};
const PROPERTY: Shape =
    Shape { required: &["name", "value"], allowed: &["name", "uuid", "ns", "value", "class", "group", "remarks"] };
const RELATED_OBSERVATION: Shape = Shape { required: &["observation-uuid"], allowed: &["observation-uuid"] };
const RELATED_RISK: Shape = Shape { required: &["risk-uuid"], allowed: &["risk-uuid"] };
const BACK_MATTER: Shape = Shape { required: &[], allowed: &["resources"] };
const RESOURCE: Shape = Shape {
    required: &["uuid"],
    allowed: &["uuid", "title", "description", "props", "document-ids", "citation", "rlinks", "base64", "remarks"],
};

/// Checks the shape of `v` at `path`; returns its object.
fn shape<'a>(v: &'a Value, s: &Shape, path: &str) -> &'a serde_json::Map<String, Value> {
    let o = v.as_object().unwrap_or_else(|| panic!("{path} is not an object: {v}"));
    for r in s.required {
        assert!(o.contains_key(*r), "{path} lacks required {r:?}: {v}");
    }
    for k in o.keys() {
        assert!(s.allowed.contains(&k.as_str()), "{path} has {k:?}, which the schema does not allow");
    }
    for (k, val) in o {
        if let Some(a) = val.as_array() {
            assert!(!a.is_empty(), "{path}.{k} is an empty array (minItems 1)");
        }
    }
    o
}

fn array<'a>(v: &'a Value, path: &str) -> &'a Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("{path} is not an array"))
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && s.chars().enumerate().all(|(i, c)| [8, 13, 18, 23].contains(&i) || c.is_ascii_hexdigit())
        && matches!(b[14], b'4' | b'5')
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

fn is_datetime(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok() && (s.ends_with('Z') || s[19..].contains(['+', '-']))
}

fn is_token(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && cs.all(|c| c.is_alphabetic() || c.is_numeric() || matches!(c, '.' | '-' | '_'))
}

fn is_string(s: &str) -> bool {
    !s.is_empty() && s.trim() == s && !s.contains('\n')
}

fn is_line(s: &str) -> bool {
    !s.trim().is_empty() && !s.contains('\n')
}

fn str_of<'a>(o: &'a serde_json::Map<String, Value>, k: &str, path: &str) -> &'a str {
    o[k].as_str().unwrap_or_else(|| panic!("{path}.{k} is not a string"))
}

/// Checks the whole document; returns every UUID it defines, by JSON path.
fn check_oscal(doc: &Value) -> BTreeMap<String, String> {
    let mut uuids = BTreeMap::new();
    let root = doc.as_object().unwrap();
    assert_eq!(root.keys().collect::<Vec<_>>(), ["assessment-results"], "the root holds one property");
    let ar = shape(&doc["assessment-results"], &ASSESSMENT_RESULTS, "assessment-results");
    let mut def = |path: String, o: &serde_json::Map<String, Value>| {
        let u = str_of(o, "uuid", &path).to_string();
        assert!(is_uuid(&u), "{path}.uuid {u:?} is not a v4/v5 UUID");
        uuids.insert(path, u);
    };
    def("assessment-results".into(), ar);
    let props = |v: &Value, path: &str| {
        if let Some(ps) = v.get("props") {
            for (i, p) in array(ps, path).iter().enumerate() {
                let path = format!("{path}.props[{i}]");
                let o = shape(p, &PROPERTY, &path);
                assert!(is_token(str_of(o, "name", &path)), "{path}.name");
                assert!(is_string(str_of(o, "value", &path)), "{path}.value {:?}", o["value"]);
                if let Some(ns) = o.get("ns") {
                    let ns = ns.as_str().unwrap();
                    assert!(ns.contains(':') && !ns.contains(' '), "{path}.ns {ns:?} is not a URI");
                }
            }
        }
    };

    let md = shape(&ar["metadata"], &METADATA, "metadata");
    assert!(is_line(str_of(md, "title", "metadata")));
    assert!(is_datetime(str_of(md, "last-modified", "metadata")));
    assert!(is_string(str_of(md, "version", "metadata")));
    assert_eq!(md["oscal-version"], "1.1.2");
    props(&ar["metadata"], "metadata");

    let ap = shape(&ar["import-ap"], &IMPORT_AP, "import-ap");
    let href = str_of(ap, "href", "import-ap");
    let bm = shape(&ar["back-matter"], &BACK_MATTER, "back-matter");
    let resources = array(&bm["resources"], "back-matter.resources");
    for (i, r) in resources.iter().enumerate() {
        def(format!("back-matter.resources[{i}]"), shape(r, &RESOURCE, "resource"));
    }
    assert!(
        resources.iter().any(|r| format!("#{}", r["uuid"].as_str().unwrap()) == href),
        "import-ap href {href} names no back-matter resource"
    );

    let results = array(&ar["results"], "results");
    for (ri, res) in results.iter().enumerate() {
        let rp = format!("results[{ri}]");
        let r = shape(res, &RESULT, &rp);
        def(rp.clone(), r);
        assert!(is_line(str_of(r, "title", &rp)));
        assert!(is_datetime(str_of(r, "start", &rp)) && is_datetime(str_of(r, "end", &rp)));
        props(res, &rp);
        let rc = shape(&r["reviewed-controls"], &REVIEWED_CONTROLS, "reviewed-controls");
        for s in array(&rc["control-selections"], "control-selections") {
            shape(s, &CONTROL_SELECTION, "control-selection");
        }
        let mut observation_ids = BTreeSet::new();
        for (i, o) in
            r.get("observations").map(|v| array(v, "observations").as_slice()).unwrap_or(&[]).iter().enumerate()
        {
            let path = format!("{rp}.observations[{i}]");
            let ob = shape(o, &OBSERVATION, &path);
            def(path.clone(), ob);
            observation_ids.insert(ob["uuid"].as_str().unwrap().to_string());
            assert!(is_datetime(str_of(ob, "collected", &path)));
            for m in array(&ob["methods"], &path) {
                assert!(["EXAMINE", "INTERVIEW", "TEST", "UNKNOWN"].contains(&m.as_str().unwrap()), "{path}: {m}");
            }
            if let Some(t) = ob.get("title") {
                assert!(is_line(t.as_str().unwrap()), "{path}.title");
            }
            props(o, &path);
            for e in ob.get("relevant-evidence").map(|v| array(v, &path).as_slice()).unwrap_or(&[]) {
                shape(e, &RELEVANT_EVIDENCE, &format!("{path}.relevant-evidence"));
            }
        }
        let mut risk_ids = BTreeSet::new();
        for (i, k) in r.get("risks").map(|v| array(v, "risks").as_slice()).unwrap_or(&[]).iter().enumerate() {
            let path = format!("{rp}.risks[{i}]");
            let risk = shape(k, &RISK, &path);
            def(path.clone(), risk);
            risk_ids.insert(risk["uuid"].as_str().unwrap().to_string());
            assert!(is_line(str_of(risk, "title", &path)));
            assert!(is_token(str_of(risk, "status", &path)));
            if let Some(d) = risk.get("deadline") {
                assert!(is_datetime(d.as_str().unwrap()), "{path}.deadline");
            }
            props(k, &path);
            for (j, resp) in
                risk.get("remediations").map(|v| array(v, &path).as_slice()).unwrap_or(&[]).iter().enumerate()
            {
                let rpath = format!("{path}.remediations[{j}]");
                let o = shape(resp, &RESPONSE, &rpath);
                def(rpath.clone(), o);
                assert!(is_token(str_of(o, "lifecycle", &rpath)));
                assert!(is_line(str_of(o, "title", &rpath)));
                props(resp, &rpath);
            }
            for ro in risk.get("related-observations").map(|v| array(v, &path).as_slice()).unwrap_or(&[]) {
                let o = shape(ro, &RELATED_OBSERVATION, &path);
                assert!(
                    observation_ids.contains(o["observation-uuid"].as_str().unwrap()),
                    "{path}: dangling observation"
                );
            }
        }
        for (i, f) in r.get("findings").map(|v| array(v, "findings").as_slice()).unwrap_or(&[]).iter().enumerate() {
            let path = format!("{rp}.findings[{i}]");
            let fo = shape(f, &FINDING, &path);
            def(path.clone(), fo);
            assert!(is_line(str_of(fo, "title", &path)));
            props(f, &path);
            let t = shape(&fo["target"], &TARGET, &format!("{path}.target"));
            assert!(["statement-id", "objective-id"].contains(&str_of(t, "type", &path)));
            assert!(is_token(str_of(t, "target-id", &path)), "{path}.target-id");
            let st = shape(&t["status"], &TARGET_STATUS, &format!("{path}.target.status"));
            assert!(["satisfied", "not-satisfied"].contains(&str_of(st, "state", &path)));
            if let Some(reason) = st.get("reason") {
                assert!(is_token(reason.as_str().unwrap()), "{path}: reason {reason}");
            }
            for ro in fo.get("related-observations").map(|v| array(v, &path).as_slice()).unwrap_or(&[]) {
                let o = shape(ro, &RELATED_OBSERVATION, &path);
                assert!(
                    observation_ids.contains(o["observation-uuid"].as_str().unwrap()),
                    "{path}: dangling observation"
                );
            }
            for rr in fo.get("related-risks").map(|v| array(v, &path).as_slice()).unwrap_or(&[]) {
                let o = shape(rr, &RELATED_RISK, &path);
                assert!(risk_ids.contains(o["risk-uuid"].as_str().unwrap()), "{path}: dangling risk");
            }
        }
    }
    let distinct: BTreeSet<&String> = uuids.values().collect();
    assert_eq!(distinct.len(), uuids.len(), "UUIDs are not unique");
    uuids
}

/// The finding of each item, by item id.
fn findings(doc: &Value) -> BTreeMap<String, Value> {
    array(&doc["assessment-results"]["results"][0]["findings"], "findings")
        .iter()
        .map(|f| (f["target"]["target-id"].as_str().unwrap().to_string(), f.clone()))
        .collect()
}

#[test]
fn oscal_export_has_every_required_field_of_the_schema() {
    let home = tempfile::tempdir().unwrap();
    let r = checkout_q4();
    let file = write(home.path(), "privcheck-2026-Q4.toml", &r);
    let (_, doc) = oscal(home.path(), &file);
    check_oscal(&doc);

    let ar = &doc["assessment-results"];
    assert_eq!(ar["metadata"]["version"], r.content_digest());
    let latest = r.answers.iter().filter_map(|a| a.at).chain(r.signoffs.iter().map(|s| s.at)).max().unwrap();
    assert_eq!(ar["metadata"]["last-modified"], privcheck::model::results::format_timestamp(latest));
    let res = &ar["results"][0];
    assert_eq!(res["start"], "2026-10-01T00:00:00Z");
    assert_eq!(res["end"], "2026-12-31T23:59:59Z");

    // One finding per item, with the status mapped.
    let f = findings(&doc);
    assert_eq!(f.len(), set().item_count());
    for a in &r.answers {
        let status = &f[&a.item]["target"]["status"];
        let (state, reason) = match a.status {
            Status::Pass => ("satisfied", "pass"),
            Status::Fail => ("not-satisfied", "fail"),
            Status::NotApplicable => ("satisfied", "not-applicable"),
            Status::Unreviewed => ("not-satisfied", "unreviewed"),
        };
        assert_eq!(
            (status["state"].as_str().unwrap(), status["reason"].as_str().unwrap()),
            (state, reason),
            "{}",
            a.item
        );
        assert_eq!(f[&a.item]["target"]["type"], "objective-id");
        if a.status == Status::NotApplicable {
            assert!(status["remarks"].as_str().unwrap().len() > 5, "{}: the reason is kept", a.item);
        }
    }
    // One risk per failure, with its deadline, owner and ticket.
    let risks = array(&res["risks"], "risks");
    assert_eq!(risks.len(), r.progress().fail);
    let overdue =
        r.answers.iter().find(|a| a.remediation.as_ref().and_then(|m| m.due) == Some(PAST.parse().unwrap())).unwrap();
    let risk_id = f[&overdue.item]["related-risks"][0]["risk-uuid"].clone();
    let risk = risks.iter().find(|k| k["uuid"] == risk_id).unwrap();
    assert_eq!(risk["deadline"], format!("{PAST}T23:59:59Z"));
    assert_eq!(risk["status"], "open");
    let props: Vec<(String, String)> = array(&risk["props"], "props")
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_string(), p["value"].as_str().unwrap().to_string()))
        .collect();
    assert!(props.contains(&("owner".into(), OWNER.into())), "{props:?}");
    assert!(props.contains(&("ticket".into(), TICKET.into())), "{props:?}");
    assert_eq!(risk["remediations"][0]["lifecycle"], "planned");
    // Notes and evidence as observations.
    let noted = &r.answers[first(&r, Status::Pass)];
    let obs_id = f[&noted.item]["related-observations"][0]["observation-uuid"].clone();
    let obs = array(&res["observations"], "observations").iter().find(|o| o["uuid"] == obs_id).unwrap().clone();
    assert_eq!(obs["description"], privcheck::render::text::escape_markdown(NOTE));
    assert_eq!(obs["relevant-evidence"][0]["href"], EVIDENCE);
    assert!(obs["relevant-evidence"][1].get("href").is_none(), "a path is not an href: {obs}");
    assert_eq!(obs["methods"][0], "EXAMINE");
}

#[test]
fn oscal_exports_are_byte_identical_and_uuids_stable() {
    let home = tempfile::tempdir().unwrap();
    let r = checkout_q4();
    let a = write(home.path(), "a/privcheck-2026-Q4.toml", &r);
    let (first_text, first_doc) = oscal(home.path(), &a);
    let (second_text, _) = oscal(home.path(), &a);
    assert_eq!(first_text, second_text, "two exports of the same file differ");

    // -o writes the same bytes.
    let out = home.path().join("out.json");
    let o = export(home.path(), "oscal", &a, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert_eq!(read(&out), first_text);
    // ... but never over the results file itself.
    let o = export(home.path(), "oscal", &a, &["-o", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert_eq!(load(&a), r, "the results file is untouched");

    // Another file with the same product and period, different answers, elsewhere: the
    // same UUIDs for the document, the result and each item's finding.
    let mut other = r.clone();
    other.answers[0].note = "A different note.".into();
    let i = first(&other, Status::Pass);
    other.answers[i].status = Status::NotApplicable;
    other.answers[i].reason = "Changed our mind.".into();
    let b = write(home.path(), "b/elsewhere.toml", &other);
    let (_, other_doc) = oscal(home.path(), &b);
    check_oscal(&other_doc);
    assert_eq!(first_doc["assessment-results"]["uuid"], other_doc["assessment-results"]["uuid"]);
    assert_eq!(
        first_doc["assessment-results"]["results"][0]["uuid"],
        other_doc["assessment-results"]["results"][0]["uuid"]
    );
    let (fa, fb) = (findings(&first_doc), findings(&other_doc));
    for (item, f) in &fa {
        assert_eq!(f["uuid"], fb[item]["uuid"], "{item}");
    }
    assert_eq!(first_doc["assessment-results"]["import-ap"], other_doc["assessment-results"]["import-ap"]);

    // A different product or period: different UUIDs.
    let mut renamed = r.clone();
    renamed.product = "Accounts".into();
    let c = write(home.path(), "c/privcheck-2026-Q4.toml", &renamed);
    let (_, renamed_doc) = oscal(home.path(), &c);
    let fc = findings(&renamed_doc);
    assert!(fa.iter().all(|(item, f)| f["uuid"] != fc[item]["uuid"]));
    assert_ne!(first_doc["assessment-results"]["uuid"], renamed_doc["assessment-results"]["uuid"]);
}

#[test]
fn oscal_keeps_hostile_text_in_bounds() {
    let home = tempfile::tempdir().unwrap();
    let mut r = checkout_q4();
    r.product = HOSTILE.into();
    let f = first(&r, Status::Fail);
    r.answers[f].note = HOSTILE.into();
    r.answers[f].evidence = vec![HOSTILE.into(), " https://ok.example/x ".into()];
    r.answers[f].remediation.as_mut().unwrap().owner = format!("  {HOSTILE}  ");
    let file = write(home.path(), "evil.toml", &r);
    let (text, doc) = oscal(home.path(), &file);
    check_oscal(&doc);
    // No control character anywhere (JSON would write ESC as \u001b).
    assert!(!text.contains("\\u001b") && !text.contains('\x1b'), "{text}");
    // Markup fields (Markdown in OSCAL) carry the text escaped; property values are plain
    // strings, one line, trimmed.
    fn walk(v: &Value, key: &str, markup: &mut usize) {
        match v {
            Value::Object(o) => o.iter().for_each(|(k, v)| walk(v, k, markup)),
            Value::Array(a) => a.iter().for_each(|v| walk(v, key, markup)),
            Value::String(s) if ["title", "description", "remarks", "statement"].contains(&key) => {
                *markup += 1;
                for raw in ["<script>", "`rm -rf`", "*red*", "[x](http://e)", "\n# injected"] {
                    assert!(!s.contains(raw), "{key} {s:?} holds {raw:?} raw");
                }
            }
            _ => {}
        }
    }
    let mut markup = 0;
    walk(&doc, "", &mut markup);
    assert!(markup > 100);
    assert!(
        text.contains(&serde_json::to_string(&privcheck::render::text::escape_markdown(HOSTILE)).unwrap()),
        "{text}"
    );
    let product = &doc["assessment-results"]["metadata"]["props"][0];
    assert_eq!(product["name"], "product");
    // One line (OSCAL strings have none), the lines joined; as written in its remarks.
    let joined: Vec<&str> = HOSTILE.lines().map(str::trim).collect();
    assert_eq!(product["value"], privcheck::render::text::escape_controls(&joined.join(" ")));
    assert!(!product["value"].as_str().unwrap().contains("\\u{a}"), "{product}");
    assert!(product["remarks"].as_str().unwrap().contains("\n\n\\# injected"), "{product}");
}

#[test]
fn saf_attests_pass_and_fail_only() {
    let home = tempfile::tempdir().unwrap();
    let r = checkout_q4();
    let file = write(home.path(), "privcheck-2026-Q4.toml", &r);
    let o = export(home.path(), "saf", &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    // n/a and unreviewed items are skipped silently; that the file is void and incomplete is said.
    assert_eq!(stderr(&o).lines().count(), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("privcheck-2026-Q4.toml: 1 of its 1 sign-offs is void"), "{}", stderr(&o));
    assert!(stderr(&o).contains("privcheck-2026-Q4.toml: incomplete: "), "{}", stderr(&o));
    let complete = write(home.path(), "complete.toml", &team("Search", "2026-Q4"));
    let c = export(home.path(), "saf", &complete, &[]);
    assert_eq!((c.status.code(), stderr(&c).as_str()), (Some(0), ""), "a complete file exports without a word");
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let list = array(&v, "attestations");
    let expected: Vec<(String, &str)> = r
        .answers
        .iter()
        .filter_map(|a| match a.status {
            Status::Pass => Some((a.item.clone(), "passed")),
            Status::Fail => Some((a.item.clone(), "failed")),
            _ => None,
        })
        .collect();
    let got: Vec<(String, &str)> =
        list.iter().map(|a| (a["control_id"].as_str().unwrap().to_string(), a["status"].as_str().unwrap())).collect();
    assert_eq!(got, expected);
    for a in list {
        let o = a.as_object().unwrap();
        assert_eq!(
            o.keys().map(String::as_str).collect::<BTreeSet<_>>(),
            BTreeSet::from(["control_id", "explanation", "frequency", "status", "updated", "updated_by"])
        );
        assert_eq!(a["frequency"], "quarterly");
        assert!(a["updated"].as_str().unwrap().parse::<jiff::civil::Date>().is_ok(), "{a}");
        assert_eq!(a["updated"].as_str().unwrap().len(), 10);
        assert_eq!(a["updated_by"], NAME);
        assert!(!a["explanation"].as_str().unwrap().is_empty());
    }
    let fail = &r.answers[first(&r, Status::Fail)];
    let att = list.iter().find(|a| a["control_id"] == fail.item.as_str()).unwrap();
    let explanation = att["explanation"].as_str().unwrap();
    assert!(
        explanation.contains(&format!("Remediation: owner {OWNER}, due {PAST}, ticket {TICKET}.")),
        "{explanation}"
    );
    assert!(explanation.contains("Fails on the web sign-up path"), "{explanation}");
    assert_eq!(att["updated"], fail.at.unwrap().strftime("%Y-%m-%d").to_string());
    // Byte-identical re-export.
    assert_eq!(stdout(&export(home.path(), "saf", &file, &[])), stdout(&o));
}

#[test]
fn exporting_a_void_or_incomplete_file_says_so_on_stderr() {
    let home = tempfile::tempdir().unwrap();
    let void = write(home.path(), "q4.toml", &checkout_q4());
    let complete = write(home.path(), "q3.toml", &signed_unsigned(PRODUCT, "2026-Q3"));
    for format in ["oscal", "saf"] {
        let o = export(home.path(), format, &void, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", output(&o));
        let err = stderr(&o);
        let name = void.display().to_string();
        assert!(err.contains(&format!("privcheck: warning: {name}: 1 of its 1 sign-offs is void")), "{err}");
        assert!(err.contains(&format!("privcheck: warning: {name}: incomplete: ")), "{err}");
        assert!(err.contains("1 unreviewed, 1 carried over and not yet confirmed"), "{err}");
        let o = export(home.path(), format, &complete, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", output(&o));
        assert_eq!(stderr(&o), "", "a complete file with a current sign-off: no warning");
    }
}

#[test]
fn malformed_file_exits_2_with_file_line_col() {
    let home = tempfile::tempdir().unwrap();
    let bad = fixture("report/malformed.toml");
    for format in ["oscal", "saf"] {
        let o = export(home.path(), format, &bad, &[]);
        assert_eq!(o.status.code(), Some(2), "{}", output(&o));
        assert!(stderr(&o).contains(&format!("{}:3:10: ", bad.display())), "{}", output(&o));
        assert!(stdout(&o).is_empty());
    }
    let o = privcheck(home.path()).args(["export", "x.toml"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "--format is required: {}", output(&o));
}

// ---------------------------------------------------------------------------
// The real tools: compliance-trestle loads and validates the OSCAL export, NIST's JSON
// schema accepts it (when PRIVCHECK_OSCAL_SCHEMA names the schema file), and MITRE SAF
// applies the attestations to an HDF file. The first test to find a tool missing installs
// them with `.ci/tools` (in PRIVCHECK_TOOLS, by default ~/.cache/privcheck-tools), once for
// the test run; a tool still missing after that fails the test, unless
// PRIVCHECK_SKIP_EXPORT_TOOLS=1 says to skip it (never set in CI).
// ---------------------------------------------------------------------------

/// The folder the tools are installed in.
fn tools_dir() -> std::path::PathBuf {
    match std::env::var_os("PRIVCHECK_TOOLS") {
        Some(d) => d.into(),
        None => std::path::PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/privcheck-tools"),
    }
}

/// Runs `.ci/tools` once for the whole test run; its outcome, for every test that asks.
fn install_tools() -> &'static Result<(), String> {
    static DONE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tools");
        let o = std::process::Command::new("bash")
            .arg(&script)
            .env("PRIVCHECK_TOOLS", tools_dir())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if o.status.success() {
            Ok(())
        } else {
            Err(format!("{} failed: {}", script.display(), String::from_utf8_lossy(&o.stderr)))
        }
    })
}

/// `program` if it runs, installing the tools first when it does not; else the test fails
/// (or, with PRIVCHECK_SKIP_EXPORT_TOOLS=1, is skipped, saying so).
fn tool(program: &Path, probe: &[&str], what: &str) -> Option<std::path::PathBuf> {
    let runs = || std::process::Command::new(program).args(probe).output().is_ok_and(|o| o.status.success());
    let skip = std::env::var("PRIVCHECK_SKIP_EXPORT_TOOLS").is_ok_and(|v| v == "1") && std::env::var_os("CI").is_none();
    if runs() {
        return Some(program.to_path_buf());
    }
    if skip {
        eprintln!("SKIPPED (PRIVCHECK_SKIP_EXPORT_TOOLS=1): {what} is not installed");
        return None;
    }
    if let Err(e) = install_tools() {
        panic!("{what} is not installed at {} and installing it failed: {e}", program.display());
    }
    assert!(runs(), "{what} is not at {} even after .ci/tools installed it", program.display());
    Some(program.to_path_buf())
}

/// The test's results file exported: a signed (reviewer) file with a void approver
/// sign-off too, multi-line notes and an owner on two lines.
fn exported(home: &Path, format: &str) -> (std::path::PathBuf, Value) {
    let mut r = checkout_q4();
    let f = first(&r, Status::Fail);
    r.answers[f].remediation.as_mut().unwrap().owner = "Bob Owner\nand the web team".into();
    r.signoffs.push(signoff(&r.content_digest(), "approver"));
    r.signoffs[1].email = "privacy@example.com".into();
    r.signoffs[1].name = "Pat Privacy".into();
    let file = write(home, "privcheck-2026-Q4.toml", &r);
    let out = home.join(format!("export-{format}.json"));
    let o = export(home, format, &file, &["-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let v: Value = serde_json::from_str(&read(&out)).unwrap();
    (out, v)
}

#[test]
fn oscal_export_loads_and_validates_in_compliance_trestle() {
    let home = tempfile::tempdir().unwrap();
    let Some(python) = tool(&tools_dir().join("venv/bin/python3"), &["-c", "import trestle"], "compliance-trestle")
    else {
        return;
    };
    let (file, doc) = exported(home.path(), "oscal");
    check_oscal(&doc);
    let ws = home.path().join("trestle");
    std::fs::create_dir(&ws).unwrap();
    let trestle = |args: &[&str]| {
        let o =
            std::process::Command::new(&python).args(["-m", "trestle"]).args(args).current_dir(&ws).output().unwrap();
        assert!(o.status.success(), "trestle {args:?}: {}", output(&o));
        format!("{}{}", stdout(&o), stderr(&o))
    };
    trestle(&["init"]);
    trestle(&["import", "-f", file.to_str().unwrap(), "-o", "privcheck"]);
    let said = trestle(&["validate", "-a"]);
    assert!(said.contains("VALID: Model"), "{said}");
    // And trestle's model reads back what privcheck wrote: parties, roles, the plan's content.
    let script = "import sys, json\n\
from trestle.oscal.assessment_results import AssessmentResults\n\
ar = AssessmentResults.oscal_read(__import__('pathlib').Path(sys.argv[1]))\n\
print(json.dumps({'parties': [str(p.name) for p in ar.metadata.parties], 'roles': [str(r.id) for r in ar.metadata.roles],\n\
  'responsible': [str(r.role_id) for r in ar.metadata.responsible_parties], 'ns': str(ar.metadata.props[0].ns),\n\
  'content': ar.back_matter.resources[0].base64.value is not None}))";
    let o = std::process::Command::new(&python).args(["-c", script]).arg(&file).output().unwrap();
    assert!(o.status.success(), "{}", output(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["parties"], serde_json::json!([NAME, "Pat Privacy"]), "one party a person: {v}");
    assert_eq!(v["roles"], serde_json::json!(["reviewer", "approver"]));
    assert_eq!(v["responsible"], serde_json::json!(["reviewer", "approver"]));
    assert!(v["ns"].as_str().unwrap().starts_with("https://"), "{v}");
    assert_eq!(v["content"], true);
}

#[test]
fn oscal_export_is_valid_by_nists_json_schema_when_given() {
    // NIST publishes the schema as a release asset only (no package ships it): give its
    // file in PRIVCHECK_OSCAL_SCHEMA to run this check (see the README).
    let Some(schema) = std::env::var_os("PRIVCHECK_OSCAL_SCHEMA") else {
        eprintln!("SKIPPED: PRIVCHECK_OSCAL_SCHEMA names no OSCAL 1.1.2 assessment-results schema file");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let python = tool(&tools_dir().join("venv/bin/python3"), &["-c", "import jsonschema"], "jsonschema")
        .expect("jsonschema, to check the schema given");
    let (file, _) = exported(home.path(), "oscal");
    let script = "import sys, json, jsonschema\n\
schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))\n\
v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())\n\
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))\n\
[print(list(e.path), e.message) for e in errors]\n\
sys.exit(1 if errors else 0)";
    let o = std::process::Command::new(python).args(["-c", script]).arg(schema).arg(&file).output().unwrap();
    assert!(o.status.success(), "the schema rejects the export:\n{}", output(&o));
}

#[test]
fn saf_applies_the_attestations_to_an_hdf_file() {
    let home = tempfile::tempdir().unwrap();
    let Some(saf) = tool(&tools_dir().join("saf/node_modules/.bin/saf"), &["--version"], "MITRE SAF (@mitre/saf)")
    else {
        return;
    };
    let (file, attestations) = exported(home.path(), "saf");
    // The HDF file the attestations attach to: one control per checklist item, its id the
    // item id, not yet tested (a manual review), as a profile of manual controls gives.
    let controls: Vec<Value> = set()
        .items()
        .map(|i| {
            serde_json::json!({
                "id": i.id, "title": i.question, "desc": i.guidance, "descriptions": [], "impact": 0.5,
                "refs": [], "tags": {}, "code": "", "source_location": {},
                "results": [{ "status": "skipped", "code_desc": "Manual review", "skip_message": "Reviewed with privcheck",
                              "start_time": "2026-10-01T00:00:00+00:00" }]
            })
        })
        .collect();
    let hdf = serde_json::json!({
        "platform": { "name": "privcheck", "release": "0.1.0" }, "version": "5.22.0", "statistics": { "duration": 0 },
        "profiles": [{ "name": "privcheck", "version": "1", "sha256": "0".repeat(64), "title": "privcheck checklists",
                       "summary": "", "supports": [], "attributes": [], "groups": [], "status": "loaded", "controls": controls }]
    });
    let input = home.path().join("hdf.json");
    std::fs::write(&input, serde_json::to_string_pretty(&hdf).unwrap()).unwrap();
    let out = home.path().join("attested.json");
    // In the test's own folder: saf writes a saf-cli.log where it runs.
    let o = std::process::Command::new(saf)
        .current_dir(home.path())
        .args(["attest", "apply", "-i"])
        .arg(&input)
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "saf attest apply: {}", output(&o));
    let attested: Value = serde_json::from_str(&read(&out)).unwrap();
    let controls = array(&attested["profiles"][0]["controls"], "controls");
    let mut applied = 0;
    for a in array(&attestations, "attestations") {
        let c = controls.iter().find(|c| c["id"] == a["control_id"]).unwrap_or_else(|| panic!("no control {a}"));
        assert_eq!(&c["attestation_data"], a, "the attestation is attached as it was written");
        let last = array(&c["results"], "results").last().unwrap();
        assert!(last["code_desc"].as_str().unwrap().contains("attestation"), "{last}");
        assert!(last["message"].as_str().unwrap().contains(a["explanation"].as_str().unwrap()), "{last}");
        applied += 1;
    }
    assert!(applied > 10, "{applied}");
    // The controls without an attestation (not applicable, unreviewed) are as they were.
    let untouched = controls.iter().filter(|c| c.get("attestation_data").is_none()).count();
    assert_eq!(untouched + applied, set().item_count());
}
