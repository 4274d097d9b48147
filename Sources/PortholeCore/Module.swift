// Placeholder so the target builds while its owner writes it; replaced by real sources.
