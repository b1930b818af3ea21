//! Use cases: pull, images, inspect, tag, rmi, prune, info.
