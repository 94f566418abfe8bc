//! The real `ipxelint` binary, run in temporary directories.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ipxelint"))
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("ipxelint-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run ipxelint");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn run_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut cmd = bin();
    cmd.args(args);
    run_stdin_cmd(cmd, input)
}

fn run_stdin_cmd(mut cmd: Command, input: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const BROKEN: &[u8] = b"#!ipxe\ndhcp || goto retyr\n:retry\n";

#[test]
fn exit_codes() {
    let dir = TempDir::new("exit");
    let clean = dir.write("clean.ipxe", b"#!ipxe\ndhcp || goto retry\n:retry\n");
    let broken = dir.write("broken.ipxe", BROKEN);
    assert_eq!(run(bin().arg(&clean)).0, 0);
    assert_eq!(run(bin().arg(&broken)).0, 1);
    assert_eq!(run(bin().arg(&broken).args(["--fail-on", "never"])).0, 0);
    let (code, _, err) = run(bin().arg(dir.0.join("missing.ipxe")));
    assert_eq!(code, 2, "missing file is an I/O error");
    assert!(err.contains("missing.ipxe"), "{err}");
    assert_eq!(run(bin().args(["--format", "xml"]).arg(&clean)).0, 2);
    assert_eq!(run(&mut bin()).0, 2, "no paths is a usage error");
}

#[test]
fn stdin_with_filename() {
    let (code, out, _) = run_stdin(
        &["-", "--stdin-filename", "menu.ipxe", "--format", "gcc"],
        BROKEN,
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("menu.ipxe:2:14: error: label `retyr` is not defined in this script [IPX201]"),
        "{out}"
    );
}

#[test]
fn human_output_explains_and_counts() {
    let (_, out, _) = run_stdin(&["-", "--color", "never"], BROKEN);
    assert!(
        out.contains("[IPX201] Error: label `retyr` is not defined"),
        "{out}"
    );
    assert!(out.contains("did you mean `retry`?"), "{out}");
    assert!(out.contains("1 file checked: 1 error(s)"), "{out}");
}

#[test]
fn json_output_has_positions() {
    let (_, out, _) = run_stdin(&["-", "--format", "json"], BROKEN);
    let items: serde_json::Value = serde_json::from_str(&out).unwrap();
    let item = &items[0];
    assert_eq!(item["code"], "IPX201");
    assert_eq!(item["severity"], "error");
    assert_eq!(
        (item["line"].as_u64(), item["column"].as_u64()),
        (Some(2), Some(14))
    );
    assert_eq!(
        (item["end_line"].as_u64(), item["end_column"].as_u64()),
        (Some(2), Some(19))
    );
    assert_eq!(item["file"], "<stdin>");
}

#[test]
fn sarif_output_is_structurally_valid() {
    let (_, out, _) = run_stdin(
        &["-", "--format", "sarif", "--stdin-filename", "dir/a b.ipxe"],
        BROKEN,
    );
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules.len() > 5
            && rules
                .iter()
                .all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string())
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "IPX201");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "IPX201", "ruleIndex points at the rule");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "dir/a%20b.ipxe");
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 14);
}

#[test]
fn github_and_gcc_formats() {
    let (_, out, _) = run_stdin(
        &[
            "-",
            "--format",
            "github",
            "--stdin-filename",
            "a.ipxe",
            "--select",
            "IPX201",
        ],
        BROKEN,
    );
    assert_eq!(
        out.trim(),
        "::error file=a.ipxe,line=2,endLine=2,col=14,endColumn=19,title=IPX201::label `retyr` is not defined in this script"
    );
}

#[test]
fn select_ignore_and_severity() {
    let src = b"#!ipxe\ngoto nowhere\n:unused\n";
    let (_, out, _) = run_stdin(&["-", "--format", "gcc"], src);
    assert!(out.contains("IPX201") && out.contains("IPX203"), "{out}");
    let (_, out, _) = run_stdin(&["-", "--format", "gcc", "--ignore", "IPX201"], src);
    assert!(!out.contains("IPX201") && out.contains("IPX203"), "{out}");
    let (_, out, _) = run_stdin(
        &[
            "-", "--format", "gcc", "--select", "IPX20", "--ignore", "IPX203",
        ],
        src,
    );
    assert!(out.contains("IPX201") && !out.contains("IPX203"), "{out}");
    let (_, out, _) = run_stdin(&["-", "--format", "gcc", "--severity", "error"], src);
    assert!(out.contains("IPX201") && !out.contains("IPX203"), "{out}");
}

#[test]
fn suppressions_and_unused_suppressions() {
    let src =
        b"#!ipxe\n#ipxelint disable=IPX201\ngoto nowhere\n#ipxelint disable=IPX101\necho fine\n";
    let (_, out, _) = run_stdin(&["-", "--format", "gcc"], src);
    assert!(!out.contains("IPX201"), "{out}");
    assert!(
        out.contains(
            "<stdin>:4:19: warning: `IPX101` is suppressed here but reports nothing [IPX901]"
        ),
        "{out}"
    );
    let file_wide = b"#!ipxe\n#ipxelint disable=IPX201\necho start\ngoto a ||\ngoto b ||\n";
    let (code, out, _) = run_stdin(&["-", "--format", "gcc"], file_wide);
    assert_eq!((code, out.as_str()), (0, ""), "file-wide suppression");
}

#[test]
fn config_file_is_found_upward() {
    let dir = TempDir::new("config");
    dir.write(".ipxelint.toml", b"ignore = [\"IPX203\"]\n[severity]\nIPX201 = \"warning\"\n[per-file-ignores]\n\"sub/skip.ipxe\" = [\"IPX201\"]\n");
    let file = dir.write("sub/menu.ipxe", b"#!ipxe\ngoto nowhere\n:unused\n");
    let skipped = dir.write("sub/skip.ipxe", b"#!ipxe\ngoto nowhere\n");
    let (_, out, _) = run(bin().arg(&file).args(["--format", "gcc"]));
    assert!(
        out.contains("warning: label `nowhere`"),
        "severity override: {out}"
    );
    assert!(!out.contains("IPX203"), "ignore from config: {out}");
    let (code, out, _) = run(bin().arg(&skipped).args(["--format", "gcc"]));
    assert_eq!((code, out.as_str()), (0, ""), "per-file ignore");
    let (_, out, _) = run(bin().arg(&file).args(["--format", "gcc", "--no-config"]));
    assert!(
        out.contains("IPX203") && out.contains("error: label"),
        "{out}"
    );
    dir.write("bad/.ipxelint.toml", b"selekt = []\n");
    let bad = dir.write("bad/x.ipxe", b"#!ipxe\n");
    let (code, _, err) = run(bin().arg(&bad));
    assert_eq!(code, 2);
    assert!(err.contains("selekt"), "{err}");
}

/// A project with `per-file-ignores` for `sub/skip.ipxe`, and a script in
/// its root that `ignore` quiets.
fn project_with_config(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    dir.write(
        ".ipxelint.toml",
        b"ignore = [\"IPX203\"]\n[per-file-ignores]\n\"sub/skip.ipxe\" = [\"IPX201\"]\n",
    );
    dir.write("boot.ipxe", b"#!ipxe\n:unused\n");
    dir.write("sub/skip.ipxe", b"#!ipxe\ngoto nowhere\n");
    dir
}

#[test]
fn config_is_found_for_bare_file_names() {
    let dir = project_with_config("bare");
    for path in ["boot.ipxe", "./boot.ipxe"] {
        let (code, out, err) = run(bin().current_dir(&dir.0).args([path, "--format", "gcc"]));
        assert_eq!((code, out.as_str()), (0, ""), "{path}: {err}");
    }
    let (code, out, _) =
        run(bin()
            .current_dir(dir.0.join("sub"))
            .args(["../boot.ipxe", "--format", "gcc"]));
    assert_eq!((code, out.as_str()), (0, ""), "../boot.ipxe");
}

#[test]
fn per_file_ignores_match_from_any_working_directory() {
    let dir = project_with_config("pfi");
    let parent = dir.0.parent().unwrap();
    let from_parent = format!(
        "{}/sub/skip.ipxe",
        dir.0.file_name().unwrap().to_str().unwrap()
    );
    for (cwd, path) in [
        (dir.0.clone(), "sub/skip.ipxe"),
        (dir.0.join("sub"), "skip.ipxe"),
        (dir.0.join("sub"), "./skip.ipxe"),
        (parent.to_path_buf(), from_parent.as_str()),
    ] {
        let (code, out, err) = run(bin().current_dir(&cwd).args([path, "--format", "gcc"]));
        assert_eq!((code, out.as_str()), (0, ""), "{path} in {cwd:?}: {err}");
    }
    let skipped = std::fs::read(dir.0.join("sub/skip.ipxe")).unwrap();
    let stdin = |cwd: &std::path::Path, name: &str| {
        let mut cmd = bin();
        cmd.current_dir(cwd)
            .args(["-", "--format", "gcc", "--stdin-filename", name]);
        run_stdin_cmd(cmd, &skipped)
    };
    for (cwd, name) in [
        (dir.0.join("sub"), "skip.ipxe"),
        (dir.0.clone(), "sub/skip.ipxe"),
        (parent.to_path_buf(), from_parent.as_str()),
    ] {
        let (code, out, err) = stdin(&cwd, name);
        assert_eq!((code, out.as_str()), (0, ""), "stdin as {name}: {err}");
    }
    // Another name under the same config is not ignored.
    let (code, out, _) = stdin(&dir.0, "sub/other.ipxe");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("sub/other.ipxe:2:6: error:"), "{out}");
}

#[test]
fn codes_and_targets_that_name_nothing_are_usage_errors() {
    let dir = TempDir::new("typos");
    let file = dir.write("boot.ipxe", b"#!ipxe\necho hi\n");
    for (args, expected) in [
        (
            &["--select", "IPX3O5"][..],
            "unknown rule code IPX3O5 in --select; did you mean IPX305?",
        ),
        (
            &["--select", "IPX999"],
            "unknown rule code IPX999 in --select; did you mean",
        ),
        (
            &["--ignore", "IPX8"],
            "no rule has the prefix IPX8 in --ignore",
        ),
        (
            &["--ignore", "IPX201,undefined-label"],
            "in --ignore; did you mean IPX201 (undefined-label)?",
        ),
        (
            &["--target", "bin/foo.bar"],
            "unknown build target `bin/foo.bar`: pcbios builds have no format `.bar`: expected one of pxe, kpxe",
        ),
        (
            &["--target", "bin-x86_64-efi/ipxe.kpxe"],
            "efi builds have no format `.kpxe`",
        ),
        (
            &["--target", "bin-x86_64-efl/ipxe.efi"],
            "no platform folder `bin-x86_64-efl`; did you mean `bin-x86_64-efi`?",
        ),
    ] {
        let (code, out, err) = run(bin().arg(&file).arg("--no-config").args(args));
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let config = dir.0.join(".ipxelint.toml");
    for (toml, expected) in [
        (
            "select = [\"IPX3O5\"]\n",
            "unknown rule code IPX3O5 in CONFIG (select); did you mean IPX305?",
        ),
        (
            "ignore = [\"IPX20l\"]\n",
            "unknown rule code IPX20l in CONFIG (ignore); did you mean IPX201?",
        ),
        (
            "[severity]\nIPX4O1 = \"error\"\n",
            "unknown rule code IPX4O1 in CONFIG (severity); did you mean IPX401?",
        ),
        (
            "[per-file-ignores]\n\"*.ipxe\" = [\"IPX2O1\"]\n",
            "unknown rule code IPX2O1 in CONFIG (per-file-ignores \"*.ipxe\"); did you mean IPX201?",
        ),
        (
            "target = [\"bin/undionly.kpx\"]\n",
            "CONFIG (target): unknown build target `bin/undionly.kpx`: pcbios builds have no format `.kpx`; did you mean `.kpxe`?",
        ),
    ] {
        std::fs::write(&config, toml).unwrap();
        let (code, out, err) = run(bin().current_dir(&dir.0).arg("boot.ipxe"));
        assert_eq!(code, 2, "{toml}: {out}{err}");
        let expected = expected.replace("CONFIG", &config.display().to_string());
        assert!(err.contains(&expected), "{toml}: {err}");
    }
    // Prefixes, `ALL` and lower case are fine.
    std::fs::write(&config, "select = [\"all\"]\nignore = [\"ipx2\"]\n").unwrap();
    let (code, _, err) = run(bin().arg(&file).args(["--select", "IPX0,IPX201"]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn directories_recurse_into_scripts() {
    let dir = TempDir::new("dirs");
    dir.write("a.ipxe", b"#!ipxe\n");
    dir.write("nested/boot.cfg", b"#!ipxe\ngoto nowhere\n");
    dir.write("nested/readme.txt", b"not a script\n");
    dir.write(".git/x.ipxe", b"#!ipxe\ngoto hidden\n");
    let (code, out, _) = run(bin().arg(&dir.0).args(["--format", "gcc"]));
    assert_eq!(code, 1);
    assert!(out.contains("boot.cfg:2:6"), "{out}");
    assert!(!out.contains("hidden") && !out.contains("readme"), "{out}");
}

#[test]
fn chained_scripts_share_settings_but_not_labels() {
    let dir = TempDir::new("project");
    dir.write(
        "menu.ipxe",
        b"#!ipxe\nset base http://x\n:error\nchain sub.ipxe || goto error\n",
    );
    dir.write("sub.ipxe", b"#!ipxe\nchain ${base}/k || goto error\n");
    let (_, out, _) = run(bin().arg(&dir.0).args(["--format", "gcc"]));
    assert!(
        out.contains("sub.ipxe:2:25: error: label `error` is not defined"),
        "{out}"
    );
    assert!(!out.contains("IPX401"), "`base` is set by menu.ipxe: {out}");
    let (_, out, _) = run(bin().arg(&dir.0).args(["--format", "json"]));
    assert!(
        out.contains("menu.ipxe, but `goto` only searches the running script"),
        "{out}"
    );
}

#[test]
fn fix_writes_safe_fixes_and_diff_shows_them() {
    let dir = TempDir::new("fix");
    let bom = b"\xEF\xBB\xBF#!ipxe\necho hi\n";
    let file = dir.write("bom.ipxe", bom);
    let (code, out, _) = run(bin().arg(&file).arg("--diff"));
    assert_eq!(code, 1, "--diff exits 1 when it would change something");
    assert!(
        out.contains("-\u{feff}#!ipxe") && out.contains("+#!ipxe"),
        "{out}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), bom, "--diff writes nothing");
    let (code, _, _) = run(bin().arg(&file).arg("--fix"));
    assert_eq!(code, 0);
    assert_eq!(std::fs::read(&file).unwrap(), b"#!ipxe\necho hi\n");
}

#[test]
fn fix_reports_what_it_fixed_and_what_is_left() {
    let dir = TempDir::new("fix-summary");
    let file = dir.write("boot.ipxe", b"\xEF\xBB\xBF#!ipxe\ngoto nowhere\n");
    let (code, out, err) = run(bin().arg(&file).args(["--fix", "--format", "gcc"]));
    assert_eq!(code, 1, "an error is left: {err}");
    assert_eq!(err.trim(), "Fixed 1 finding (1 remaining).");
    assert!(
        out.contains("boot.ipxe:2:6: error: label `nowhere`") && !out.contains("IPX004"),
        "the findings left are reported: {out}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"#!ipxe\ngoto nowhere\n");
    let (code, _, err) = run(bin().arg(&file).arg("--fix"));
    assert_eq!((code, err.trim()), (1, "Fixed 0 findings (1 remaining)."));
}

#[test]
fn unsafe_fixes_apply_only_when_asked() {
    let dir = TempDir::new("unsafe");
    let src = b"echo hi\n";
    let file = dir.write("boot.ipxe", src);
    let (_, out, _) = run(bin().arg(&file).args(["--color", "never"]));
    assert!(
        out.contains("1 fix is available with --unsafe-fixes"),
        "{out}"
    );
    let (code, out, err) = run(bin().arg(&file).arg("--diff"));
    assert_eq!((code, out.as_str()), (0, ""), "no safe fix: {err}");
    assert_eq!(
        err.trim(),
        "No findings would be fixed. 1 fix is available with --unsafe-fixes."
    );
    let (code, _, err) = run(bin().arg(&file).arg("--fix"));
    assert_eq!(code, 1);
    assert!(
        err.contains("Fixed 0 findings (1 remaining). 1 fix is available with --unsafe-fixes."),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        src,
        "unsafe fixes wait to be asked"
    );
    let (code, out, err) = run(bin().arg(&file).args(["--diff", "--unsafe-fixes"]));
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("+#!ipxe\n echo hi"), "{out}");
    assert_eq!(err.trim(), "Would fix 1 finding.");
    assert_eq!(std::fs::read(&file).unwrap(), src, "--diff writes nothing");
    let (code, _, err) = run(bin().arg(&file).args(["--fix", "--unsafe-fixes"]));
    assert_eq!((code, err.trim()), (0, "Fixed 1 finding (0 remaining)."));
    assert_eq!(std::fs::read(&file).unwrap(), b"#!ipxe\necho hi\n");
}

#[test]
fn diff_without_fixes_says_why_it_is_empty() {
    let dir = TempDir::new("diff-empty");
    let file = dir.write("boot.ipxe", BROKEN);
    // As ruff's --diff: the exit status says whether there is a diff; the
    // findings left over are for a run without --diff.
    let (code, out, err) = run(bin().arg(&file).arg("--diff"));
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(
        err.trim(),
        "No findings would be fixed. 2 findings have no fix: run without --diff to see them."
    );
    let clean = dir.write("clean.ipxe", b"#!ipxe\necho hi\n");
    let (code, out, err) = run(bin().arg(&clean).arg("--diff"));
    assert_eq!(
        (code, out.as_str(), err.trim()),
        (0, "", "No findings would be fixed.")
    );
}

#[test]
fn explain_and_list_rules() {
    let (code, out, _) = run(bin().args(["--explain", "IPX201"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("undefined-label") && out.contains("## Why is this bad?"),
        "{out}"
    );
    let (code, out, _) = run(bin().arg("--list-rules"));
    assert_eq!(code, 0);
    assert!(out.lines().count() > 5 && out.contains("IPX001"));
    assert_eq!(run(bin().args(["--explain", "IPX999"])).0, 2);
    let (_, _, err) = run(bin().args(["--explain", "IPX2O1"]));
    assert!(err.contains("did you mean IPX201?"), "{err}");
}

#[test]
fn every_input_gets_an_answer() {
    let hostile: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00",
        b"#!ipxe\r\recho\r",
        b"\\",
        b"#!ipxe\necho a\\",
        b"#!ipxe\n${${${\n",
    ];
    for input in hostile {
        let (code, _, err) = run_stdin(&["-"], input);
        assert!(
            code == 0 || code == 1,
            "input {input:?}: exit {code}, {err}"
        );
    }
}

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn whole_real_world_corpus_in_one_run() {
    let dir = ipxe_test_support::shared_corpus_dir();
    let (code, out, err) = run(bin().arg(&dir).args(["--format", "json"]));
    assert!(code == 0 || code == 1, "{err}");
    let items: serde_json::Value = serde_json::from_str(&out).expect("one JSON array");
    assert!(items.as_array().unwrap().len() > 10);
}

/// A loopback HTTP server answering `/ok` with 200 and anything else with 404.
fn serve_once_per_request(requests: usize) -> (u16, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() == 0 || header == "\r\n" {
                    break;
                }
            }
            let status = if request_line.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            seen.push(request_line.trim().to_string());
        }
        seen
    });
    (port, handle)
}

#[test]
fn check_urls_reports_missing_files_and_refuses_loopback_by_default() {
    let (port, server) = serve_once_per_request(2);
    let script = format!(
        "#!ipxe\nset base http://127.0.0.1:{port}\nkernel ${{base}}/ok || goto failed\ninitrd ${{base}}/missing || goto failed\n:failed\n"
    );
    let (_, out, _) = run_stdin(&["-", "--format", "gcc", "--check-urls"], script.as_bytes());
    assert!(
        out.contains("IPX703") && !out.contains("IPX701"),
        "loopback is refused without the flag: {out}"
    );
    let (code, out, err) = run_stdin(
        &[
            "-",
            "--format",
            "gcc",
            "--check-urls",
            "--allow-private-urls",
        ],
        script.as_bytes(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("<stdin>:4:8: error:") && out.contains("404") && out.contains("[IPX701]"),
        "{out}"
    );
    assert!(!out.contains("<stdin>:3:"), "the 200 URL is fine: {out}");
    let seen = server.join().unwrap();
    assert!(seen.iter().all(|r| r.starts_with("HEAD ")), "{seen:?}");
    let suppressed = script.replace("initrd", "#ipxelint disable=IPX701\ninitrd");
    let (_, out, _) = run_stdin(
        &[
            "-",
            "--format",
            "gcc",
            "--check-urls",
            "--allow-private-urls",
            "--select",
            "IPX701",
        ],
        suppressed.as_bytes(),
    );
    // The server is gone by now, so only the suppressed line stays quiet.
    assert!(
        out.contains("<stdin>:3:") && !out.contains("<stdin>:5:"),
        "suppression applies to URL findings: {out}"
    );
}

/// `n` URLs on the loopback test server that each hold the request for a
/// while, so the server sees how many are in flight together.
fn holding_script(server: &ipxe_urlcheck::test_server::TestServer, n: usize) -> String {
    let mut script = String::from("#!ipxe\n");
    for i in 0..n {
        script.push_str(&format!(
            "imgfetch {} ||\n",
            server.url(&format!("/hold?{i}"))
        ));
    }
    script
}

const CHECK_URLS: [&str; 6] = [
    "--check-urls",
    "--allow-private-urls",
    "--select",
    "IPX701",
    "--format",
    "gcc",
];

#[test]
fn url_jobs_per_host_bounds_requests_to_one_server() {
    let server = ipxe_urlcheck::test_server::TestServer::start();
    let script = holding_script(&server, 8);
    let mut args = vec!["-", "--no-config", "--url-jobs-per-host", "2"];
    args.extend(CHECK_URLS);
    let (code, out, err) = run_stdin(&args, script.as_bytes());
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert_eq!(server.stats.requests().len(), 8);
    // The default (16) would let all 8 through at once.
    let max = server.stats.max_per_host();
    assert!(max <= 2, "the server saw {max} requests at once");
}

#[test]
fn url_check_settings_come_from_the_config_file_and_flags_win() {
    let dir = TempDir::new("url-config");
    dir.write(
        ".ipxelint.toml",
        b"url-jobs-per-host = 1\nurl-timeout = 0.5\n",
    );
    // `/slow` goes to a server of its own: it keeps counting a request the
    // client has given up on, which would look like one more in flight.
    let slow = ipxe_urlcheck::test_server::TestServer::start();
    let server = ipxe_urlcheck::test_server::TestServer::start();
    let script = format!(
        "{}imgfetch {} ||\n",
        holding_script(&server, 4),
        slow.url("/slow")
    );
    let file = dir.write("boot.ipxe", script.as_bytes());
    let (code, out, err) = run(bin().arg(&file).args(CHECK_URLS));
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("no answer within 0.5 s"), "url-timeout: {out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(
        server.stats.max_per_host(),
        1,
        "url-jobs-per-host from the config"
    );

    let server = ipxe_urlcheck::test_server::TestServer::start();
    let script = format!(
        "{}imgfetch {} ||\n",
        holding_script(&server, 6),
        slow.url("/slow")
    );
    let file = dir.write("boot.ipxe", script.as_bytes());
    let (code, out, err) = run(bin().arg(&file).args(CHECK_URLS).args([
        "--url-jobs-per-host",
        "3",
        "--url-timeout",
        "1.5",
    ]));
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("no answer within 1.5 s"),
        "--url-timeout wins: {out}"
    );
    let max = server.stats.max_per_host();
    assert!(
        (2..=3).contains(&max),
        "--url-jobs-per-host wins: {max} at once"
    );

    dir.write(".ipxelint.toml", b"url-jobs = 0\n");
    let (code, _, err) = run(bin().arg(&file).args(CHECK_URLS));
    assert_eq!(code, 2);
    assert!(err.contains("url-jobs: expected at least 1"), "{err}");
}

#[test]
fn url_limits_of_zero_are_usage_errors() {
    for flag in ["--url-jobs", "--url-jobs-per-host", "--url-timeout"] {
        let (code, _, err) = run(bin().args([flag, "0", "--check-urls", "x.ipxe"]));
        assert_eq!(code, 2, "{flag}: {err}");
        assert!(
            err.contains(&format!("'{flag} <")) && err.contains("0"),
            "{flag}: {err}"
        );
    }
    let (_, _, err) = run(bin().args(["--url-jobs", "0", "x.ipxe"]));
    assert!(err.contains("must be at least 1"), "{err}");
}

#[test]
fn image_types_follow_the_target_and_its_config() {
    let lint = |args: &[&str], script: &[u8]| {
        let mut all = vec!["-", "--no-config", "--select", "IPX603", "--format", "gcc"];
        all.extend_from_slice(args);
        run_stdin(&all, script)
    };
    let (code, out, _) = lint(
        &["--target", "bin-x86_64-efi/ipxe.efi"],
        b"#!ipxe\nchain undionly.kpxe\n",
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("<stdin>:2:7: error: `undionly.kpxe` needs the PXE image type, which is not in bin-x86_64-efi/ipxe.efi: iPXE prints `Could not boot: Exec format error`"),
        "{out}"
    );
    let efi_on_bios = b"#!ipxe\nchain shell.efi\n";
    let (code, out, _) = lint(&["--target", "bin/undionly.kpxe"], efi_on_bios);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("<stdin>:2:7: error: `shell.efi` needs the EFI image type"),
        "{out}"
    );
    // Without a target, only the stock BIOS build lacks it: info.
    let (code, out, _) = lint(&[], efi_on_bios);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "info: `shell.efi` needs the EFI image type, which is not in stock BIOS builds"
        ),
        "{out}"
    );
    // A config that enables the type makes it quiet.
    let dir = TempDir::new("image-config");
    dir.write("general.h", b"#define IMAGE_EFI\n");
    let config = dir.0.to_str().unwrap();
    let (code, out, _) = lint(
        &["--target", "bin/undionly.kpxe", "--config", config],
        efi_on_bios,
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("IPX603"), "{out}");
}
