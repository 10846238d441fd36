/** What the fault proxy does to the traffic between the apps and the emulator, one mode at a time. */
export type Fault =
  /** Every byte passes. */
  | { kind: "pass" }
  /** Nothing listens: connects are refused and open connections are reset (the endpoint is down). */
  | { kind: "refuse" }
  /**
   * Connects succeed but no byte passes either way and nothing is closed. A connection that lost a
   * byte in the hole stays silent after the heal too, as a flow a middlebox forgot; idle ones resume.
   */
  | { kind: "black-hole" }
  /** Each chunk is held `ms` milliseconds in each direction (a slow network or a slow service). */
  | { kind: "delay"; ms: number }
  /** A `share` of the apps' writes is answered with a TCP reset of that connection. */
  | { kind: "reset"; share: number }
  /** A `share` of requests is answered by the proxy with an HTTP error of `status`, never forwarded. */
  | { kind: "http-error"; status: number; share: number };

/** Throws a RangeError naming the field when a fault cannot be applied as written. */
export function validateFault(fault: Fault): Fault {
  const share = (value: number) => {
    if (!(value >= 0 && value <= 1))
      throw new RangeError(`${fault.kind}: share must be in [0, 1], got ${value}`);
  };
  switch (fault.kind) {
    case "pass":
    case "refuse":
    case "black-hole":
      return fault;
    case "delay":
      if (!(Number.isFinite(fault.ms) && fault.ms >= 0))
        throw new RangeError(`delay: ms must be a finite number >= 0, got ${fault.ms}`);
      return fault;
    case "reset":
      share(fault.share);
      return fault;
    case "http-error":
      share(fault.share);
      if (!(Number.isInteger(fault.status) && fault.status >= 500 && fault.status <= 599))
        throw new RangeError(`http-error: status must be an integer from 500 to 599, got ${fault.status}`);
      return fault;
    default:
      throw new RangeError(`unknown fault ${JSON.stringify(fault)}`);
  }
}
