/**
 * The parsers run in BullMQ workers, and every worker loads ioredis, which defines a class that
 * extends String. From then on V8 (Node 20) runs string method calls on primitives (`s.charCodeAt(i)`,
 * `s.indexOf(…)`) in the whole process several times slower. The JIL and CSV benches load it first
 * too, so their figures are what a worker gets, not what a bare process would.
 */
import 'ioredis';
