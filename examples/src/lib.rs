//! The world the examples and the real-server tests run in.
