// Cross-process tests wait on real servers: allow them two minutes each (assertions poll, they never sleep blindly).
jest.setTimeout(120_000);
