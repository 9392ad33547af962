"""XML representations of the simulated objects, one module per area."""
