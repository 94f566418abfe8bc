//! Any bytes parse into a tree whose tokens print back to exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = ipxe_syntax::parse(data);
    assert_eq!(parsed.print(data), data, "lossless round trip");
    let mut offset = 0;
    for line in &parsed.lines {
        for token in &line.tokens {
            assert_eq!(token.span.start, offset, "tokens are contiguous");
            offset = token.span.end;
        }
    }
    assert_eq!(offset as usize, data.len());
});
