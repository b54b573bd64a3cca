// The training worker with a crash built in (see crashPort.ts), for the tests of how a crash ends a
// job. Production builds never carry it: it is built into out/, not dist/.
import './crashPort';
import '../../src/worker/trainWorker';
