//! `ha-socket-server MODE (--unix PATH | --tcp ADDR) ...`: see
//! `ha_cover_world::socket_main`.

fn main() -> std::process::ExitCode {
    ha_cover_world::socket_main::main(std::env::args().skip(1).collect())
}
