"""Local HTTP replica of the Điện Biên district news portal, for tests, the demo and benchmarks."""
