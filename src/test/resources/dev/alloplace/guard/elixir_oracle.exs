# The other side of GuardDifferentialTest: answers what real Elixir's match?/2 says.
#
# Reads one batch per line from stdin, a JSON object
#   {"cases": [{"mode": "guard" | "code" | "eval", "pattern": "...", "guard": "..." | null,
#               "values": [...]}, ...]}
# and writes one JSON array per batch: for each case either a list of answers (one per value) or
# the string "compile_error: <message>". JSON is decoded here by hand (Jason is not installed):
# objects become maps with string keys, arrays lists, strings binaries, null nil, and a number is
# an integer unless its text has a fraction or an exponent.
#
# "guard" compiles `match?(PATTERN when GUARD, value)` into a real module, so the guard runs as
# BEAM code exactly as in any Elixir program. "code" is for the place's extensions that Elixir
# does not allow in guards (&&, ||, !, String functions, `in` a variable list): the guard text
# runs as ordinary code after the pattern matched, and anything it raises counts as false.
# "eval" answers the JSON text of the guard's value ("error" if it raised, "unrepresentable" if
# JSON cannot hold it). Every case is compiled with `import Bitwise`, `require Integer` and at/2
# (the X[k] extension) in scope.

defmodule GuardOracle.Json do
  def decode(text) do
    {value, rest} = value(skip(text))
    "" = skip(rest)
    value
  end

  defp skip(<<c, rest::binary>>) when c in [?\s, ?\t, ?\n, ?\r], do: skip(rest)
  defp skip(rest), do: rest

  defp value("{" <> rest), do: object(skip(rest), %{})
  defp value("[" <> rest), do: array(skip(rest), [])
  defp value("\"" <> rest), do: string(rest, [])
  defp value("true" <> rest), do: {true, rest}
  defp value("false" <> rest), do: {false, rest}
  defp value("null" <> rest), do: {nil, rest}
  defp value(rest), do: number(rest)

  defp object("}" <> rest, acc), do: {acc, rest}

  defp object("\"" <> rest, acc) do
    {key, rest} = string(rest, [])
    ":" <> rest = skip(rest)
    {v, rest} = value(skip(rest))
    acc = Map.put(acc, key, v)

    case skip(rest) do
      "," <> rest -> object(skip(rest), acc)
      "}" <> rest -> {acc, rest}
    end
  end

  defp array("]" <> rest, []), do: {[], rest}

  defp array(text, acc) do
    {v, rest} = value(text)

    case skip(rest) do
      "," <> rest -> array(skip(rest), [v | acc])
      "]" <> rest -> {Enum.reverse([v | acc]), rest}
    end
  end

  defp string("\"" <> rest, acc), do: {IO.iodata_to_binary(Enum.reverse(acc)), rest}

  defp string("\\u" <> <<hex::binary-size(4), rest::binary>>, acc) do
    code = String.to_integer(hex, 16)

    case rest do
      "\\u" <> <<low::binary-size(4), after_low::binary>> when code in 0xD800..0xDBFF ->
        low = String.to_integer(low, 16)
        pair = 0x10000 + Bitwise.bsl(code - 0xD800, 10) + (low - 0xDC00)
        string(after_low, [<<pair::utf8>> | acc])

      _ ->
        string(rest, [<<code::utf8>> | acc])
    end
  end

  defp string("\\" <> <<c, rest::binary>>, acc) do
    char =
      case c do
        ?" -> "\""
        ?\\ -> "\\"
        ?/ -> "/"
        ?b -> "\b"
        ?f -> "\f"
        ?n -> "\n"
        ?r -> "\r"
        ?t -> "\t"
      end

    string(rest, [char | acc])
  end

  defp string(<<c, rest::binary>>, acc), do: string(rest, [c | acc])

  defp number(text) do
    {digits, rest} = take_number(text, [])
    digits = IO.iodata_to_binary(Enum.reverse(digits))

    if String.contains?(digits, [".", "e", "E"]) do
      {to_float(digits), rest}
    else
      {String.to_integer(digits), rest}
    end
  end

  defp take_number(<<c, rest::binary>>, acc) when c in ?0..?9 or c in [?-, ?+, ?., ?e, ?E],
    do: take_number(rest, [c | acc])

  defp take_number(rest, acc), do: {acc, rest}

  # String.to_float wants digits on both sides of the point and accepts an exponent after them.
  defp to_float(text) do
    [mantissa | exponent] = String.split(String.downcase(text), "e")
    mantissa = if String.contains?(mantissa, "."), do: mantissa, else: mantissa <> ".0"
    String.to_float(Enum.join([mantissa | exponent], "e"))
  end

  def encode(true), do: "true"
  def encode(false), do: "false"
  def encode(list) when is_list(list), do: "[" <> Enum.map_join(list, ",", &encode/1) <> "]"
  def encode(text) when is_binary(text), do: encode_string(text)

  # The JSON text of a value, for "eval" mode; terms JSON cannot hold are "unrepresentable".
  def encode_term(nil), do: "null"
  def encode_term(b) when is_boolean(b), do: to_string(b)
  def encode_term(i) when is_integer(i), do: Integer.to_string(i)
  def encode_term(f) when is_float(f), do: Float.to_string(f)

  def encode_term(text) when is_binary(text),
    do: if(String.valid?(text), do: encode_string(text), else: throw(:unrepresentable))

  def encode_term(list) when is_list(list) do
    if :erlang.length(list) >= 0, do: "[" <> Enum.map_join(list, ",", &encode_term/1) <> "]"
  end

  def encode_term(map) when is_map(map) do
    if Enum.all?(Map.keys(map), &(is_binary(&1) and String.valid?(&1))) do
      fields = map |> Enum.sort() |> Enum.map_join(",", fn {k, v} -> encode_string(k) <> ":" <> encode_term(v) end)
      "{" <> fields <> "}"
    else
      throw(:unrepresentable)
    end
  end

  def encode_term(_), do: throw(:unrepresentable)

  defp encode_string(text) do
    text = if String.valid?(text), do: text, else: inspect(text)

    escaped =
      for <<c::utf8 <- text>>, into: "" do
        cond do
          c == ?" -> "\\\""
          c == ?\\ -> "\\\\"
          c < 0x20 -> "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
          true -> <<c::utf8>>
        end
      end

    "\"" <> escaped <> "\""
  end
end

defmodule GuardOracle.Helpers do
  @moduledoc "at/2 is the X[k] extension: a map's key, or a list's element (from 0); anything else raises."
  def at(m, k) when is_map(m), do: :erlang.map_get(k, m)
  def at(l, i) when is_list(l) and is_integer(i) and i >= 0, do: :lists.nth(i + 1, l)
end

defmodule GuardOracle do
  @imports """
  import Bitwise
  require Integer
  import GuardOracle.Helpers
  """

  def main do
    # Crash reports of a compiling process would be logged to stdout, into the answers.
    :logger.set_primary_config(:level, :none)
    Code.put_compiler_option(:ignore_module_conflict, true)
    IO.puts("ready #{System.version()} #{System.otp_release()}")
    loop(0)
  end

  defp loop(batch) do
    case IO.read(:stdio, :line) do
      :eof ->
        :ok

      line ->
        %{"cases" => cases} = GuardOracle.Json.decode(String.trim_trailing(line, "\n"))
        IO.puts(GuardOracle.Json.encode(answer(batch, cases)))
        loop(batch + 1)
    end
  end

  # One module for the whole batch; if that does not compile, one module per case, so that a
  # case Elixir rejects is told apart from the others.
  defp answer(batch, cases) do
    indexed = Enum.with_index(cases)

    case compile(:"Elixir.GuardOracle.B#{batch}", indexed) do
      {:ok, module} ->
        results = Enum.map(indexed, fn {c, i} -> run(module, i, c) end)
        forget(module)
        results

      _ ->
        Enum.map(indexed, fn {c, i} -> answer_one(:"Elixir.GuardOracle.B#{batch}_#{i}", c, i) end)
    end
  end

  defp answer_one(module, c, i) do
    case compile(module, [{c, i}]) do
      {:ok, module} ->
        result = run(module, i, c)
        forget(module)
        result

      {:error, message} ->
        "compile_error: " <> message

      {:crash, _} ->
        # Elixir 1.14.0's type checker crashes on some guards (:erlang.float/1, for one); the
        # interpreter still answers what the guard means.
        interpret(c)
    end
  end

  # Every case catches what its guard raises; if something escapes anyway (OTP 25's compiler has
  # been seen to move a raising `not` out of its try), the interpreter answers instead.
  defp run(module, i, %{"values" => values} = c) do
    try do
      Enum.map(values, fn v -> apply(module, :"f#{i}", [v]) end)
    rescue
      _ -> interpret(c)
    end
  end

  defp interpret(%{"values" => values} = c) do
    case evaluate_function(c) do
      {:ok, fun} ->
        try do
          Enum.map(values, fun)
        rescue
          e -> "oracle_error: " <> message(e)
        end

      {:error, message} ->
        "compile_error: " <> message
    end
  end

  defp evaluate_function(c) do
    {fun, _} = Code.eval_string(@imports <> "fn value__ ->\n" <> body(c) <> "\nend")
    {:ok, fun}
  rescue
    e -> {:error, message(e)}
  end

  # Compiles in a process of its own: a crashing compiler takes down only that process.
  defp compile(module, indexed) do
    functions = Enum.map_join(indexed, "\n", fn {c, i} -> "def f#{i}(value__) do\n" <> body(c) <> "\nend\n" end)
    source = "defmodule #{inspect(module)} do\n" <> @imports <> functions <> "\nend\n"
    parent = self()

    {pid, ref} =
      spawn_monitor(fn ->
        result =
          try do
            [{^module, _}] = Code.compile_string(source)
            {:ok, module}
          rescue
            e -> {:error, message(e)}
          end

        send(parent, {:compiled, self(), result})
      end)

    receive do
      {:compiled, ^pid, result} ->
        Process.demonitor(ref, [:flush])
        result

      {:DOWN, ^ref, :process, ^pid, reason} ->
        {:crash, inspect(reason)}
    end
  end

  defp message(e), do: e |> Exception.message() |> String.replace("\n", " ") |> String.slice(0, 300)

  defp body(%{"pattern" => p, "guard" => nil}), do: "match?((#{p}\n), value__)"
  defp body(%{"mode" => "guard", "pattern" => p, "guard" => g}), do: "match?((#{p}\n) when (#{g}\n), value__)"

  defp body(%{"mode" => "eval", "pattern" => p, "guard" => g}) do
    """
    case value__ do
      (#{p}
      ) ->
        try do
          GuardOracle.Json.encode_term(#{g}
          )
        rescue
          _ -> "error"
        catch
          :unrepresentable -> "unrepresentable"
          _, _ -> "error"
        end
      _ -> "nomatch"
    end
    """
  end

  defp body(%{"mode" => "code", "pattern" => p, "guard" => g}) do
    """
    case value__ do
      (#{p}
      ) ->
        try do
          (#{g}
          ) === true
        rescue
          _ -> false
        catch
          _, _ -> false
        end
      _ -> false
    end
    """
  end

  defp forget(module) do
    :code.purge(module)
    :code.delete(module)
  end
end

GuardOracle.main()
