"""Fine-tuning experiments: training data (synthetic documents and other sets), training,
and evaluation of what was trained.

Nothing is imported here: each subpackage loads its own (sometimes heavy) dependencies
when it is used, so `import afbench.finetune.data` never pulls in torch, and the training
code never pulls in the generation pipeline.
"""
