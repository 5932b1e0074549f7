//! Integration tests: the router driven in-process, one module per concern.
//!
//! Only [`crawl`] and [`server`] (which runs the binary) bind a real
//! socket. Every other test builds the app from the embedded content (built
//! once per test binary, see [`common`]) and sends it requests with
//! `tower::ServiceExt::oneshot`.

mod common;

mod caching;
mod classify;
mod classify_props;
mod corpus;
mod crawl;
mod export;
mod identify_api;
mod identify_page;
mod negotiation;
mod not_found;
mod pages;
mod reload;
mod search;
mod security;
mod server;
mod sitemap;
