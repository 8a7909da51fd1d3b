"""Adversarial suite (issue 16): each class of hostile or unlucky input, run through the real nightly flow."""
