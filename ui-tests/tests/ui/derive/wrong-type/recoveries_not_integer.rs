use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha(recoveries)]
    nr: f64,
}

fn main() {}
