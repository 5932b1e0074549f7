//! Rebuilds the binary when an article changes: the articles are embedded
//! with `include_dir!`, which the compiler does not track by itself.

fn main() {
    println!("cargo::rerun-if-changed=content");
}
