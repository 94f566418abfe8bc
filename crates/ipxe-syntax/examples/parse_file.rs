//! Parses a file line by line (streaming, as the linter does) and prints what
//! it found: used by `bench/run.sh` to measure parse speed.

fn main() {
    let path = std::env::args().nth(1).expect("usage: parse_file FILE");
    let src = std::fs::read(&path).expect("read file");
    let (mut lines, mut words, mut refs) = (0usize, 0usize, 0usize);
    for line in ipxe_syntax::Lines::new(&src) {
        lines += 1;
        for word in line.words() {
            words += 1;
            refs += word.refs.len();
        }
    }
    println!("{lines} lines, {words} words, {refs} references");
}
