//! Runs the real `ipxebuild` binary against a fake iPXE source tree that the
//! tests create: its `src/Makefile` records the variables and goals it was
//! given, runs the C preprocessor over `config/general.h` (which has iPXE's
//! include chain: `config/named.h`, `config/local/<hdr>.h`,
//! `LOCAL_NAMED_CONFIG`) to show which macros a real build would see, and
//! writes that record as the "output" into the `bin*/` folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use ipxe_build::sha256_hex;

const FAKE_MAKEFILE: &str = r#"# Stand-in for iPXE's Makefile (ipxebuild tests only).
COMMA := ,
ifneq ($(CONFIG),)
CFG_FLAGS := -DLOCAL_CONFIG=$(CONFIG)
endif
.PHONY: FORCE
FORCE:
# Real targets (not phony), so that make deletes a half-written one on SIGINT.
$(MAKECMDGOALS): FORCE
	@mkdir -p $(dir $@)
	@echo "  [BUILD] $@"
	@{ echo "goal=$@"; echo "goals=$(MAKECMDGOALS)"; \
	   echo "EMBED=$(EMBED)"; echo "DEBUG=$(DEBUG)"; echo "TRUST=$(TRUST)"; \
	   echo "CERT=$(CERT)"; echo "PRIVKEY=$(PRIVKEY)"; echo "CONFIG=$(CONFIG)"; \
	   echo "CROSS=$(CROSS)"; echo "GITVERSION=$(GITVERSION)"; \
	   echo "--- defined"; gcc -dM -E -I. $(CFG_FLAGS) -include config/general.h -x c /dev/null | grep -E '_CMD|PROTO|BANNER' | sort; \
	   for f in $(subst $(COMMA), ,$(EMBED)); do echo "--- embed $$f"; cat $$f; done; } > $@
	@if [ -n "$$FAKE_FAIL" ]; then i=1; while [ $$i -le 100 ]; do echo "error line $$i"; i=$$((i+1)); done; exit 2; fi
	@if [ -n "$$FAKE_SLEEP" ]; then echo $$$$ > "$$FAKE_PIDFILE"; exec sleep $$FAKE_SLEEP; fi
"#;

const NAMED_H: &str = "#ifndef CONFIG_NAMED_H
#define CONFIG_NAMED_H
#ifdef CONFIG
#define NAMED_CONFIG(h) <config/CONFIG/h>
#else
#define NAMED_CONFIG(h) <config/h>
#endif
#ifdef LOCAL_CONFIG
#define LOCAL_NAMED_CONFIG(h) <config/local/LOCAL_CONFIG/h>
#else
#define LOCAL_NAMED_CONFIG(h) <config/h>
#endif
#endif
";

fn header(name: &str, body: &str) -> String {
    let guard = format!("CONFIG_{}_H", name.to_uppercase());
    format!(
        "#ifndef {guard}\n#define {guard}\n{body}\n#include <config/named.h>\n#include NAMED_CONFIG({name}.h)\n#include <config/local/{name}.h>\n#include LOCAL_NAMED_CONFIG({name}.h)\n#endif\n"
    )
}

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// A fake iPXE checkout at `<tmp>/ipxe`, with a stub toolchain in `<tmp>/fakebin`.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("ipxe/src");
        std::fs::create_dir_all(src.join("config/local")).unwrap();
        std::fs::create_dir_all(src.join("core")).unwrap();
        std::fs::write(src.join("Makefile"), FAKE_MAKEFILE).unwrap();
        std::fs::write(src.join("Makefile.housekeeping"), "# fake\n").unwrap();
        std::fs::write(src.join("core/main.c"), "int main;\n").unwrap();
        std::fs::write(src.join("config/named.h"), NAMED_H).unwrap();
        std::fs::write(
            src.join("config/general.h"),
            header(
                "general",
                "#define DOWNLOAD_PROTO_HTTP\n#define BANNER_TIMEOUT 20\n//#define PING_CMD\n//#define VNIC_IPOIB\n",
            ),
        )
        .unwrap();
        std::fs::write(
            src.join("config/console.h"),
            header("console", "//#define CONSOLE_SERIAL\n"),
        )
        .unwrap();
        std::fs::write(src.join("config/crypto.h"), header("crypto", "")).unwrap();
        // The user's own local config, which must survive untouched.
        std::fs::write(src.join("config/local/general.h"), "#define NSLOOKUP_CMD\n").unwrap();
        // The user's own earlier build output, never copied.
        std::fs::create_dir_all(src.join("bin")).unwrap();
        std::fs::write(src.join("bin/ipxe.lkrn"), "user's own build").unwrap();

        let fakebin = dir.path().join("fakebin");
        std::fs::create_dir_all(&fakebin).unwrap();
        let real_gcc = find("gcc");
        let stub = |name: &str, text: &str| {
            let p = fakebin.join(name);
            std::fs::write(&p, text).unwrap();
            set_exec(&p);
        };
        stub(
            "gcc",
            &format!(
                "#!/bin/sh\n# the lzma.h probe succeeds unless FAKE_NO_LZMA is set\nif [ \"$1\" = -E ] && [ \"$2\" = -x ]; then cat >/dev/null; [ -z \"$FAKE_NO_LZMA\" ]; exit $?; fi\nexec {} \"$@\"\n",
                real_gcc.display()
            ),
        );
        for tool in ["ld", "objcopy", "perl"] {
            stub(tool, "#!/bin/sh\nexit 0\n");
        }
        std::os::unix::fs::symlink(find("make"), fakebin.join("make")).unwrap();
        stub(
            "recording-make",
            &format!(
                "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$FAKE_ARGV\"\nexec {} \"$@\"\n",
                find("make").display()
            ),
        );
        Fixture { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("ipxe")
    }
    fn src(&self) -> PathBuf {
        self.root().join("src")
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ipxebuild"));
        let path = format!(
            "{}:{}",
            self.path("fakebin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        c.env("PATH", path)
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("FAKE_ARGV", self.path("argv.txt"))
            .env_remove("MAKEFLAGS")
            .arg("--src")
            .arg(self.root())
            .arg("--build-dir")
            .arg(self.path("build"))
            .arg("--out")
            .arg(self.path("out"));
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("out").join(rel)).unwrap()
    }

    fn manifest(&self) -> serde_json::Value {
        serde_json::from_str(&self.out("ipxebuild-manifest.json")).unwrap()
    }
}

fn set_exec(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn find(program: &str) -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("the tests need `{program}` on PATH"))
}

/// Every file, folder and symlink under `root`, with the file contents' digests.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    fn go(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.insert(rel, "dir".into());
                go(root, &path, out);
            } else {
                let mtime = meta.modified().unwrap();
                out.insert(
                    rel,
                    format!("{} {:?}", sha256_hex(&std::fs::read(&path).unwrap()), mtime),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    go(root, root, &mut out);
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const SCRIPT: &str = "#!ipxe\ndhcp\nping --count 1 10.0.0.1 || goto offline\nchain https://boot.example.com/menu.ipxe\n:offline\nexit\n";

#[test]
fn dry_run_prints_argv_and_header_lines_and_writes_nothing() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", SCRIPT);
    let before = snapshot(fx.dir.path());
    let o = fx.run(&[
        "--dry-run",
        "--auto-features",
        "--jobs",
        "3",
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
        "--enable",
        "console.h:CONSOLE_SERIAL,BANNER_TIMEOUT=0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let build = fx.path("build");
    let argv = format!(
        "# argv: [\"make\", \"-j3\", \"EMBED={}/embed/boot.ipxe\", \"bin/undionly.kpxe\"]",
        build.display()
    );
    assert!(out.contains(&argv), "{out}");
    assert!(out.contains("# config/local/general.h:\n#undef BANNER_TIMEOUT\n#define BANNER_TIMEOUT 0\t/* --enable */\n#define PING_CMD\t/* --auto-features: boot.ipxe line 3: `ping` */\n#define DOWNLOAD_PROTO_HTTPS\t/* --auto-features: boot.ipxe line 4: `https://` */\n"), "{out}");
    assert!(
        out.contains("# config/local/console.h:\n#define CONSOLE_SERIAL\t/* --enable */\n"),
        "{out}"
    );
    let err = stderr(&o);
    assert!(err.contains("enabled PING_CMD in general.h (boot.ipxe line 3: `ping`; missing from bin/undionly.kpxe)"), "{err}");
    assert!(
        err.contains("enabled DOWNLOAD_PROTO_HTTPS in general.h (boot.ipxe line 4: `https://`"),
        "{err}"
    );
    // NSLOOKUP_CMD is in the user's config/local/general.h already: not added.
    assert!(!out.contains("NSLOOKUP"), "{out}");
    assert_eq!(before, snapshot(fx.dir.path()), "a dry run wrote something");
}

#[test]
fn build_passes_argv_embed_and_headers_and_leaves_the_tree_unchanged() {
    let fx = Fixture::new();
    let script = fx.write("scripts/boot.ipxe", SCRIPT);
    let tree_before = snapshot(&fx.root());
    let o = fx.run(&[
        "--make",
        fx.path("fakebin/recording-make").to_str().unwrap(),
        "--auto-features",
        "-j",
        "2",
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
        "--debug",
        "dhcp,http:3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The exact argv make received.
    let argv = std::fs::read_to_string(fx.path("argv.txt")).unwrap();
    let embed = fx.path("build/embed/boot.ipxe");
    assert_eq!(
        argv,
        format!(
            "-j2\nEMBED={}\nDEBUG=dhcp,http:3\nbin/undionly.kpxe\n",
            embed.display()
        )
    );
    let built = fx.out("bin/undionly.kpxe");
    assert!(
        built.contains(&format!("EMBED={}\n", embed.display())),
        "{built}"
    );
    assert!(built.contains("DEBUG=dhcp,http:3\n"), "{built}");
    // What the preprocessor sees through iPXE's include chain.
    let defined = built.split("--- defined\n").nth(1).unwrap();
    for m in [
        "PING_CMD",
        "DOWNLOAD_PROTO_HTTPS",
        "NSLOOKUP_CMD",
        "DOWNLOAD_PROTO_HTTP",
    ] {
        assert!(
            defined.contains(&format!("#define {m} \n"))
                || defined.contains(&format!("#define {m}\n")),
            "{m}: {defined}"
        );
    }
    // The embedded file is the script, byte for byte.
    assert!(
        built.ends_with(&format!("--- embed {}\n{SCRIPT}", embed.display())),
        "{built}"
    );
    // The user's tree: byte-identical, same mtimes, nothing added.
    assert_eq!(tree_before, snapshot(&fx.root()));
    // The copy has the user's local config followed by ours.
    let local = std::fs::read_to_string(fx.path("build/src/config/local/general.h")).unwrap();
    assert!(
        local.starts_with("#define NSLOOKUP_CMD\n/* Added by ipxebuild"),
        "{local}"
    );
    // Manifest.
    let m = fx.manifest();
    assert_eq!(m["tool"]["name"], "ipxebuild");
    assert_eq!(m["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["ipxe"]["commit"], serde_json::Value::Null);
    assert_eq!(m["make"]["variables"]["EMBED"], embed.display().to_string());
    assert_eq!(m["make"]["variables"]["DEBUG"], "dhcp,http:3");
    assert_eq!(
        m["make"]["argv"][0],
        fx.path("fakebin/recording-make").display().to_string()
    );
    assert_eq!(m["embedded"][0]["name"], "boot.ipxe");
    assert_eq!(m["embedded"][0]["sha256"], sha256_hex(SCRIPT.as_bytes()));
    assert_eq!(m["outputs"][0]["target"], "bin/undionly.kpxe");
    assert_eq!(m["outputs"][0]["sha256"], sha256_hex(built.as_bytes()));
    assert_eq!(m["config"][0]["file"], "config/local/general.h");
    let lines: Vec<&str> = m["config"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "#define PING_CMD\t/* --auto-features: boot.ipxe line 3: `ping` */",
            "#define DOWNLOAD_PROTO_HTTPS\t/* --auto-features: boot.ipxe line 4: `https://` */"
        ]
    );
    assert_eq!(m["features"][0]["origin"]["auto"]["line"], 3);
}

#[test]
fn several_targets_in_several_bin_dirs_in_one_make_call() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let o = fx.run(&[
        "--target",
        "bin/undionly.kpxe",
        "--target",
        "bin-x86_64-efi/ipxe.efi",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bios = fx.out("bin/undionly.kpxe");
    let efi = fx.out("bin-x86_64-efi/ipxe.efi");
    assert!(
        bios.contains("goals=bin/undionly.kpxe bin-x86_64-efi/ipxe.efi\n"),
        "{bios}"
    );
    assert!(efi.starts_with("goal=bin-x86_64-efi/ipxe.efi\n"), "{efi}");
    let m = fx.manifest();
    assert_eq!(m["outputs"].as_array().unwrap().len(), 2);
    assert_eq!(m["outputs"][1]["sha256"], sha256_hex(efi.as_bytes()));
    assert_eq!(m["targets"][1]["platform"], "efi");
    assert_eq!(m["targets"][1]["arch"], "x86_64");
}

#[test]
fn git_checkout_records_the_commit_and_passes_it_to_make() {
    let fx = Fixture::new();
    let git = |args: &[&str]| {
        let s = Command::new("git")
            .arg("-C")
            .arg(fx.root())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", stderr(&s));
        stdout(&s)
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "fake ipxe"]);
    let commit = git(&["rev-parse", "HEAD"]).trim().to_string();
    let script = fx.write("boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let before = snapshot(&fx.root());
    let o = fx.run(&[
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fx.manifest()["ipxe"]["commit"], commit.as_str());
    assert!(
        fx.out("bin/undionly.kpxe")
            .contains(&format!("GITVERSION={commit}\n"))
    );
    assert_eq!(before, snapshot(&fx.root()));
}

#[test]
fn named_config_goes_to_config_local_name() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\nping 10.0.0.1 || exit\n");
    let o = fx.run(&[
        "--auto-features",
        "--config",
        "myboard",
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let built = fx.out("bin/undionly.kpxe");
    assert!(built.contains("CONFIG=myboard\n"), "{built}");
    assert!(built.contains("#define PING_CMD"), "{built}");
    let named =
        std::fs::read_to_string(fx.path("build/src/config/local/myboard/general.h")).unwrap();
    assert!(named.contains("#define PING_CMD"), "{named}");
    assert!(!fx.src().join("config/local/myboard").exists());
}

#[test]
fn lint_errors_refuse_the_build_unless_forced() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\ngoto nowhere\n");
    let o = fx.run(&[
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("nowhere") && err.contains("--force"), "{err}");
    assert!(!fx.path("out").exists());
    assert!(!fx.path("build/logs").exists(), "make ran");
    let o = fx.run(&[
        "--force",
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fx.path("out/bin/undionly.kpxe").is_file());
}

#[test]
fn a_command_missing_from_the_target_is_a_lint_error_without_auto_features() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\nping --count 1 10.0.0.1 || exit\n");
    let o = fx.run(&[
        "--dry-run",
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("lint: 1 error(s)"), "{}", stdout(&o));
    let o = fx.run(&[
        "--auto-features",
        "--dry-run",
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(!stdout(&o).contains("lint:"), "{}", stdout(&o));
}

#[test]
fn not_an_ipxe_tree() {
    let fx = Fixture::new();
    let o = Command::new(env!("CARGO_BIN_EXE_ipxebuild"))
        .args([
            "--src",
            fx.dir.path().to_str().unwrap(),
            "--target",
            "bin/undionly.kpxe",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("is not an iPXE source tree") && err.contains("src/Makefile"),
        "{err}"
    );
}

#[test]
fn unknown_target() {
    let fx = Fixture::new();
    let o = fx.run(&["--dry-run", "--target", "bin/undionly.efi"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("unknown build target `bin/undionly.efi`") && err.contains("kpxe"),
        "{err}"
    );
    let o = fx.run(&["--dry-run", "--target", "bin-x86_64-foo/ipxe.efi"]);
    assert!(
        stderr(&o).contains("expected bin[-ARCH-PLATFORM]/NAME.FORMAT"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn failing_make_shows_the_tail_and_the_full_log() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let before = snapshot(&fx.root());
    let o = fx
        .command()
        .env("FAKE_FAIL", "1")
        .args([
            "--target",
            "bin/undionly.kpxe",
            "--embed",
            script.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("make failed") && err.contains("error line 100\n"),
        "{err}"
    );
    assert!(
        !err.contains("error line 1\n"),
        "the whole log was printed: {err}"
    );
    let log = err.split("full log: ").nth(1).unwrap().trim();
    let log = std::fs::read_to_string(log).unwrap();
    assert!(log.contains("error line 1\n") && log.contains("error line 100\n"));
    assert!(!fx.path("out/bin/undionly.kpxe").exists());
    assert_eq!(before, snapshot(&fx.root()));
}

#[test]
fn missing_host_tools_name_the_debian_package() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let args = [
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ];
    let o = fx
        .command()
        .env("FAKE_NO_LZMA", "1")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("<lzma.h> is missing") && stderr(&o).contains("`liblzma-dev`"),
        "{}",
        stderr(&o)
    );
    // No perl: a PATH with only make and a compiler.
    let bare = fx.path("barebin");
    std::fs::create_dir_all(&bare).unwrap();
    for tool in ["make", "gcc", "ld", "objcopy"] {
        std::os::unix::fs::symlink(fx.path("fakebin").join(tool), bare.join(tool)).unwrap();
    }
    let o = fx.command().env("PATH", &bare).args(args).output().unwrap();
    assert!(
        stderr(&o).contains("`perl` not found") && stderr(&o).contains("package `perl`"),
        "{}",
        stderr(&o)
    );
    // A cross compiler that is not installed.
    let o = fx.run(&[
        "--cross",
        "aarch64-linux-gnu-",
        "--target",
        "bin-arm64-efi/ipxe.efi",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("`aarch64-linux-gnu-gcc` not found")
            && stderr(&o).contains("`gcc-aarch64-linux-gnu`"),
        "{}",
        stderr(&o)
    );
    assert!(!fx.path("out").exists());
}

#[test]
fn embed_paths_with_spaces_are_staged_and_names_with_spaces_refused() {
    let fx = Fixture::new();
    let spaced = fx.write("my scripts/boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let o = fx.run(&[
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        spaced.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let embed = fx.path("build/embed/boot.ipxe");
    assert!(
        fx.out("bin/undionly.kpxe")
            .contains(&format!("EMBED={}\n", embed.display()))
    );
    // --embed splits on commas, so name such a file through a folder without them.
    let bad = fx.write("boot menu.ipxe", "#!ipxe\nchain http://x/y\n");
    let o = fx.run(&[
        "--dry-run",
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&bad.display().to_string()) && err.contains("rename the file"),
        "{err}"
    );
    // A build folder whose path has a space cannot be given to make.
    let o = Command::new(env!("CARGO_BIN_EXE_ipxebuild"))
        .arg("--src")
        .arg(fx.root())
        .arg("--build-dir")
        .arg(fx.path("my build"))
        .args(["--dry-run", "--target", "bin/undionly.kpxe"])
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("build directory") && stderr(&o).contains("a space"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn several_files_are_embedded_in_order() {
    let fx = Fixture::new();
    let a = fx.write("boot.ipxe", "#!ipxe\nchain menu.ipxe\n");
    let b = fx.write("menu.ipxe", "#!ipxe\necho menu\n");
    let logo = fx.write("logo.png", "\u{89}PNG not a script");
    let list = format!("{},{},{}", a.display(), b.display(), logo.display());
    let o = fx.run(&["--target", "bin/undionly.kpxe", "--embed", &list]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = fx.path("build/embed");
    assert!(fx.out("bin/undionly.kpxe").contains(&format!(
        "EMBED={0}/boot.ipxe,{0}/menu.ipxe,{0}/logo.png\n",
        e.display()
    )));
    let m = fx.manifest();
    assert_eq!(m["embedded"][2]["script"], false);
    assert_eq!(
        m["embedded"][1]["sha256"],
        sha256_hex(b"#!ipxe\necho menu\n")
    );
}

#[test]
fn sigint_during_make_stops_it_and_leaves_everything_clean() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let before = snapshot(&fx.root());
    let pidfile = fx.path("recipe.pid");
    let mut child = fx
        .command()
        .env("FAKE_SLEEP", "60")
        .env("FAKE_PIDFILE", &pidfile)
        .args([
            "--target",
            "bin/undionly.kpxe",
            "--embed",
            script.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let recipe: i32 = loop {
        if let Some(pid) = std::fs::read_to_string(&pidfile)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            break pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "make never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(Path::new(&format!("/proc/{recipe}")).exists());
    // SAFETY: sending SIGINT to the child we spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took too long to stop"
    );
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    // The recipe (make's child) is gone, not orphaned.
    let gone = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        !Path::new(&format!("/proc/{recipe}")).exists()
            || std::fs::read_to_string(format!("/proc/{recipe}/stat"))
                .is_ok_and(|s| s.contains(") Z "))
    });
    assert!(gone, "make's recipe {recipe} survived");
    assert_eq!(before, snapshot(&fx.root()));
    assert!(!fx.path("out/bin/undionly.kpxe").exists());
    assert!(!fx.path("out/ipxebuild-manifest.json").exists());
    assert!(!fx.path("build/.lock").exists(), "lock left behind");
    // make deleted its half-written target in the build copy.
    assert!(!fx.path("build/src/bin/undionly.kpxe").exists());
    // And the next build works.
    let o = fx.run(&[
        "--target",
        "bin/undionly.kpxe",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn fetch_clones_the_revision_and_records_it() {
    let fx = Fixture::new();
    let git = |args: &[&str]| {
        let s = Command::new("git")
            .arg("-C")
            .arg(fx.root())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", stderr(&s));
        stdout(&s)
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "one"]);
    let first = git(&["rev-parse", "HEAD"]).trim().to_string();
    git(&["commit", "-q", "--allow-empty", "-m", "two"]);
    let script = fx.write("boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let o = Command::new(env!("CARGO_BIN_EXE_ipxebuild"))
        .env(
            "PATH",
            format!(
                "{}:{}",
                fx.path("fakebin").display(),
                std::env::var("PATH").unwrap()
            ),
        )
        .env("XDG_CACHE_HOME", fx.path("cache"))
        .args(["--fetch", &first, "--fetch-url"])
        .arg(fx.root())
        .arg("--build-dir")
        .arg(fx.path("build"))
        .arg("--out")
        .arg(fx.path("out"))
        .args([
            "--target",
            "bin/undionly.kpxe",
            "--embed",
            script.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fx.manifest()["ipxe"]["commit"], first.as_str());
    assert!(
        fx.manifest()["ipxe"]["source"]
            .as_str()
            .unwrap()
            .starts_with(&fx.path("cache/ipxebuild/git").display().to_string())
    );
}

#[test]
fn secure_boot_writes_autoexec_instead_of_building() {
    let fx = Fixture::new();
    let script = fx.write("boot.ipxe", "#!ipxe\nchain http://x/y\n");
    let o = fx.run(&[
        "--secure-boot",
        "--target",
        "bin-x86_64-efi/ipxe.efi",
        "--embed",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fx.out("autoexec.ipxe"), "#!ipxe\nchain http://x/y\n");
    assert!(stderr(&o).contains("signed"), "{}", stderr(&o));
    assert!(!fx.path("build").exists());
}

/// Unmounts the read-only bind mount even when the test fails.
struct ReadOnlyMount(PathBuf);

impl ReadOnlyMount {
    /// Bind-mounts `dir` over itself read-only, so that even root cannot write
    /// there (file modes don't stop root). Fails loudly if the machine can't.
    fn new(dir: &Path) -> ReadOnlyMount {
        let mount = |args: &[&str]| {
            let status = Command::new("mount")
                .args(args)
                .arg(dir)
                .arg(dir)
                .status()
                .expect("run mount");
            assert!(
                status.success(),
                "this test needs `mount --bind` (root): mount {args:?} failed"
            );
        };
        mount(&["--bind"]);
        let guard = ReadOnlyMount(dir.to_path_buf());
        let status = Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(dir)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "remounting {} read-only failed",
            dir.display()
        );
        assert!(
            std::fs::write(dir.join("probe"), "x").is_err(),
            "the tree is really read-only"
        );
        guard
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
#[ignore = "needs root for `mount --bind` (run as root with --include-ignored)"]
fn a_read_only_ipxe_tree_builds_and_stays_unchanged() {
    let fx = Fixture::new();
    let script = fx.write("scripts/boot.ipxe", SCRIPT);
    let before = snapshot(&fx.root());
    let o = {
        let _ro = ReadOnlyMount::new(&fx.root());
        fx.run(&[
            "--make",
            fx.path("fakebin/recording-make").to_str().unwrap(),
            "--auto-features",
            "--target",
            "bin/undionly.kpxe",
            "--embed",
            script.to_str().unwrap(),
        ])
    };
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        fx.out("bin/undionly.kpxe").contains("#define PING_CMD"),
        "the build saw our config line"
    );
    assert_eq!(before, snapshot(&fx.root()), "the tree is unchanged");
}
